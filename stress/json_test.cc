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
  JsonFields f(*v, "doc");
  EXPECT_EQ(f.String("schema"), "probestorm-report/1");
  EXPECT_EQ(f.Uint("seed"), 18446744073709551615ull);  // exact: numbers keep their text
  EXPECT_EQ(f.Int("neg"), -42);
  EXPECT_DOUBLE_EQ(f.Double("pi"), 3.25);
  EXPECT_TRUE(v->Find("ok")->boolean());
  EXPECT_EQ(v->Find("none")->type(), JsonValue::Type::kNull);
  EXPECT_THAT(f.Strings("names"), ::testing::ElementsAre("a", "b\"c", "\n"));
  EXPECT_TRUE(v->Find("empty")->array().empty());
  ASSERT_EQ(v->Find("nested")->array().size(), 2u);
  EXPECT_EQ(JsonFields(v->Find("nested")->array()[0], "nested").Int("x"), 1);
  EXPECT_EQ(v->Find("missing"), nullptr);
  EXPECT_EQ(f.Uint("missing"), 0u);
  EXPECT_TRUE(f.status().ok()) << f.status();
}

TEST(JsonTest, ReaderUnicodeEscapes) {
  auto v = ParseJson(R"({"s": "\u00b5\ud83d\ude00\/"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(JsonFields(*v, "doc").String("s"), "µ😀/");
}

TEST(JsonTest, FieldsOfTheWrongTypeAreErrorsNamingTheField) {
  struct Case {
    const char* doc;
    const char* read;  // which reader to call on member "x"
    const char* expect;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"x": "many"})", "uint", "doc: field 'x' is not an unsigned integer"},
           {R"({"x": -3})", "uint", "doc: field 'x' is not an unsigned integer"},
           {R"({"x": 2.5})", "int", "doc: field 'x' is not an integer"},
           {R"({"x": 7})", "string", "doc: field 'x' is not a string"},
           {R"({"x": ["a", 1]})", "strings", "doc: field 'x' is not a list of strings"},
           {R"({"x": true})", "double", "doc: field 'x' is not a number"},
           {R"({"x": []})", "object", "doc: field 'x' is not an object"}}) {
    auto v = ParseJson(c.doc);
    ASSERT_TRUE(v.ok()) << c.doc;
    JsonFields f(*v, "doc");
    const std::string read = c.read;
    if (read == "uint") f.Uint("x");
    if (read == "int") f.Int("x");
    if (read == "string") f.String("x");
    if (read == "strings") f.Strings("x");
    if (read == "double") f.Double("x");
    if (read == "object") f.Object("x");
    EXPECT_EQ(f.status().message(), c.expect) << c.doc;
  }
  // The same members with their own types read cleanly.
  auto ok = ParseJson(R"({"u": 3, "i": -3, "s": "x", "l": ["a"], "d": 2.5, "o": {}})");
  ASSERT_TRUE(ok.ok());
  JsonFields f(*ok, "doc");
  EXPECT_EQ(f.Uint("u"), 3u);
  EXPECT_EQ(f.Int("i"), -3);
  EXPECT_EQ(f.String("s"), "x");
  EXPECT_THAT(f.Strings("l"), ::testing::ElementsAre("a"));
  EXPECT_DOUBLE_EQ(f.Double("d"), 2.5);
  EXPECT_NE(f.Object("o"), nullptr);
  EXPECT_TRUE(f.status().ok()) << f.status();
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
