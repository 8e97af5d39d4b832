#include "stress/json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::stress {
namespace {

TEST(JsonTest, QuoteEscapes) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(JsonQuote(std::string("\x01", 1)), "\"\\u0001\"");
  EXPECT_EQ(JsonQuote("µs"), "\"µs\"");              // valid UTF-8 passes through
  EXPECT_EQ(JsonQuote("\xff"), "\"\\u00ff\"");         // invalid byte escaped: output stays valid
}

TEST(JsonTest, WriterReaderRoundTrip) {
  JsonWriter w;
  w.BeginObject();
  w.Key("schema").String("probestorm-report/1");
  w.Key("seed").Uint(18446744073709551615ull);
  w.Key("neg").Int(-42);
  w.Key("pi").Double(3.25);
  w.Key("ok").Bool(true);
  w.Key("none").Null();
  w.Key("names").StringArray({"a", "b\"c", "\n"});
  w.Key("empty").BeginArray().EndArray();
  w.Key("nested").BeginArray();
  w.BeginObject().Key("x").Int(1).EndObject();
  w.BeginObject().EndObject();
  w.EndArray();
  w.EndObject();
  auto v = ParseJson(w.str());
  ASSERT_TRUE(v.ok()) << v.status() << "\n" << w.str();
  EXPECT_EQ(v->GetString("schema"), "probestorm-report/1");
  EXPECT_EQ(v->GetUint("seed"), 18446744073709551615ull);  // exact: numbers keep their text
  EXPECT_EQ(v->GetInt("neg"), -42);
  EXPECT_DOUBLE_EQ(v->GetDouble("pi"), 3.25);
  EXPECT_TRUE(v->Find("ok")->boolean());
  EXPECT_EQ(v->Find("none")->type(), JsonValue::Type::kNull);
  EXPECT_THAT(v->GetStrings("names"), ::testing::ElementsAre("a", "b\"c", "\n"));
  EXPECT_TRUE(v->Find("empty")->array().empty());
  ASSERT_EQ(v->Find("nested")->array().size(), 2u);
  EXPECT_EQ(v->Find("nested")->array()[0].GetInt("x"), 1);
  EXPECT_EQ(v->Find("missing"), nullptr);
}

TEST(JsonTest, ReaderUnicodeEscapes) {
  auto v = ParseJson(R"({"s": "\u00b5\ud83d\ude00\/"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->GetString("s"), "µ😀/");
}

TEST(JsonTest, ReaderRejectsMalformedWithPosition) {
  for (const char* bad : {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":01}", "\"abc", "[1] x", "{a:1}",
                          "tru", "[\"\x01\"]"}) {
    auto v = ParseJson(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_THAT(std::string(v.status().message()), ::testing::HasSubstr("line 1, column"));
  }
}

}  // namespace
}  // namespace probestorm::stress
