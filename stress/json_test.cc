#include "stress/json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::stress {
namespace {

// What a report holds reads back exactly through DumpJson and ParseJson: 64-bit seeds, negative
// times, fractions, names with quotes and newlines, empty and nested lists.
TEST(JsonTest, DumpThenReadRoundTrip) {
  Json j = Json::object();
  j["schema"] = "probestorm-report/1";
  j["seed"] = uint64_t{18446744073709551615u};
  j["neg"] = int64_t{-42};
  j["pi"] = 3.25;
  j["ok"] = true;
  j["none"] = nullptr;
  j["names"] = std::vector<std::string>{"a", "b\"c", "\n"};
  j["empty"] = Json::array();
  j["nested"] = Json::array({Json{{"x", 1}}, Json::object()});
  const std::string text = harness::DumpJson(j, 2);
  auto v = ParseJson(text);
  ASSERT_TRUE(v.ok()) << v.status() << "\n" << text;
  EXPECT_EQ(*v, j);
  JsonFields f(*v, "doc");
  EXPECT_EQ(f.String("schema"), "probestorm-report/1");
  EXPECT_EQ(f.Uint("seed"), 18446744073709551615ull);  // exact: no trip through a double
  EXPECT_EQ(f.Int("neg"), -42);
  EXPECT_DOUBLE_EQ(f.Double("pi"), 3.25);
  EXPECT_TRUE(f.Bool("ok"));
  EXPECT_THAT(f.Strings("names"), ::testing::ElementsAre("a", "b\"c", "\n"));
  EXPECT_TRUE(f.Array("empty")->empty());
  const Json* nested = f.Array("nested");
  ASSERT_NE(nested, nullptr);
  ASSERT_EQ(nested->size(), 2u);
  EXPECT_EQ(JsonFields((*nested)[0], "nested").Int("x"), 1);
  EXPECT_EQ(f.Uint("missing"), 0u);
  EXPECT_EQ(f.Int("missing", -1), -1);
  EXPECT_EQ(f.Object("missing"), nullptr);
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
           {R"({"x": 18446744073709551616})", "uint", "doc: field 'x' is not an unsigned integer"},
           {R"({"x": 1e3})", "uint", "doc: field 'x' is not an unsigned integer"},
           {R"({"x": 9223372036854775808})", "int", "doc: field 'x' is not an integer"},
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
  EXPECT_EQ(f.Int("u"), 3);
  EXPECT_EQ(f.Int("i"), -3);
  EXPECT_EQ(f.String("s"), "x");
  EXPECT_THAT(f.Strings("l"), ::testing::ElementsAre("a"));
  EXPECT_DOUBLE_EQ(f.Double("d"), 2.5);
  EXPECT_NE(f.Object("o"), nullptr);
  EXPECT_TRUE(f.status().ok()) << f.status();
}

TEST(JsonTest, ReaderRejectsMalformedWithPosition) {
  for (const char* bad : {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":01}", "\"abc", "[1] x", "{a:1}",
                          "tru", "[\"\x01\"]", "[\"\xff\"]"}) {
    auto v = ParseJson(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_THAT(std::string(v.status().message()), ::testing::HasSubstr("line 1, column"));
    for (char c : v.status().message()) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "unprintable byte " << int(c) << " in " << v.status();
    }
  }
  // The bytes of a bad token are quoted as \xNN.
  EXPECT_THAT(std::string(ParseJson("[\"\xff\"]").status().message()),
              ::testing::HasSubstr("invalid string: ill-formed UTF-8 byte; last read: '\"\\xff'"));
}

}  // namespace
}  // namespace probestorm::stress
