#include "harness/json.h"

#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::harness {
namespace {

TEST(JsonOutputTest, QuoteEscapes) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(JsonQuote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(JsonQuote("13a00000.sysmmu"), "\"13a00000.sysmmu\"");
  EXPECT_EQ(JsonQuote("µs"), "\"µs\"");  // valid UTF-8 passes through
  EXPECT_EQ(JsonQuote(""), "\"\"");
}

TEST(JsonOutputTest, InvalidUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(JsonQuote("a\xff" "b"), "\"a\xef\xbf\xbd" "b\"");
  const std::string dumped = DumpJson(Json{{"name", "dev\x01\xc3"}}, -1);  // a cut 2-byte sequence
  ASSERT_TRUE(Json::accept(dumped)) << dumped;
  EXPECT_EQ(Json::parse(dumped)["name"], "dev\x01\xef\xbf\xbd");
  // Negative control: the same bytes unescaped are not JSON, so the check above can fail.
  EXPECT_FALSE(Json::accept("{\"name\": \"dev\xc3\"}"));
  EXPECT_FALSE(Json::accept("{\"name\": \"dev\x01\"}"));
}

// The plain-ASCII shortcut gives exactly what DumpJson gives, and every result reads back: each
// byte alone and between letters, and each pair of bytes from the interesting ranges.
TEST(JsonOutputTest, EveryStringQuotesAsDumpJsonDoesAndReadsBack) {
  std::vector<std::string> cases;
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    cases.push_back(one);
    cases.push_back("a" + one + "b");
  }
  const int edges[] = {0x00, 0x1f, 0x20, '"', '\\', 0x7e, 0x7f, 0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0xff};
  for (int b : edges) {
    for (int c : edges) cases.push_back({static_cast<char>(b), static_cast<char>(c)});
  }
  for (const std::string& s : cases) {
    const std::string quoted = JsonQuote(s);
    EXPECT_EQ(quoted, DumpJson(Json(s), -1)) << s;
    ASSERT_TRUE(Json::accept(quoted)) << quoted;
    std::string appended = "x";
    AppendJsonString(appended, s);
    EXPECT_EQ(appended, "x" + quoted);
  }
  EXPECT_EQ(Json::parse(JsonQuote("a\"\\\n\x7f" "µ")).get<std::string>(), "a\"\\\n\x7f" "µ");
}

TEST(JsonOutputTest, DumpKeepsOrderAndSixtyFourBits) {
  Json j = Json::object();
  j["seed"] = uint64_t{18446744073709551615u};
  j["neg"] = int64_t{-42};
  j["a"] = Json::array();
  EXPECT_EQ(DumpJson(j, -1), "{\"seed\":18446744073709551615,\"neg\":-42,\"a\":[]}");
  EXPECT_EQ(DumpJson(j, 2), "{\n  \"seed\": 18446744073709551615,\n  \"neg\": -42,\n  \"a\": []\n}");
  EXPECT_EQ(Json::parse(DumpJson(j, 2))["seed"].get<uint64_t>(), 18446744073709551615u);
}

}  // namespace
}  // namespace probestorm::harness
