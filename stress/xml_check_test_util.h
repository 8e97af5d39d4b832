// A tiny strict XML reader for tests: elements, attributes, text and the five predefined entities;
// enough to prove that the JUnit writer emits well-formed XML and to inspect it.
#ifndef PROBESTORM_STRESS_XML_CHECK_TEST_UTIL_H_
#define PROBESTORM_STRESS_XML_CHECK_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace probestorm::stress::testing {

struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::vector<XmlNode> children;
  std::string text;
  std::vector<const XmlNode*> All(std::string_view n) const {
    std::vector<const XmlNode*> out;
    for (const auto& c : children) {
      if (c.name == n) out.push_back(&c);
    }
    return out;
  }
};

// Parses `xml`; on error returns false with `error` set.
inline bool ParseXml(std::string_view xml, XmlNode& root, std::string& error) {
  size_t pos = 0;
  auto fail = [&](const std::string& why) {
    error = why + " at byte " + std::to_string(pos);
    return false;
  };
  auto decode = [&](std::string_view raw, std::string& out) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '<') return false;
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) return false;
      const std::string_view ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "amp") out += '&';
      else if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else return false;
      i = semi;
    }
    return true;
  };
  if (xml.substr(0, 5) == "<?xml") {
    pos = xml.find("?>");
    if (pos == std::string_view::npos) return fail("unterminated declaration");
    pos += 2;
  }
  std::vector<XmlNode*> stack;
  XmlNode doc;
  stack.push_back(&doc);
  while (pos < xml.size()) {
    if (xml[pos] != '<') {
      const size_t lt = xml.find('<', pos);
      const std::string_view raw = xml.substr(pos, lt == std::string_view::npos ? xml.size() - pos : lt - pos);
      std::string text;
      if (!decode(raw, text)) return fail("bad text");
      if (stack.size() == 1 && text.find_first_not_of(" \n\t\r") != std::string::npos) {
        return fail("text outside the root");
      }
      stack.back()->text += text;
      pos += raw.size();
      continue;
    }
    if (xml.substr(pos, 2) == "</") {
      const size_t gt = xml.find('>', pos);
      if (gt == std::string_view::npos) return fail("unterminated end tag");
      const std::string_view name = xml.substr(pos + 2, gt - pos - 2);
      if (stack.size() < 2 || stack.back()->name != name) return fail("mismatched end tag");
      stack.pop_back();
      pos = gt + 1;
      continue;
    }
    ++pos;
    size_t n = pos;
    while (n < xml.size() && (isalnum(static_cast<unsigned char>(xml[n])) || xml[n] == '_' ||
                              xml[n] == '-' || xml[n] == '.' || xml[n] == ':')) {
      ++n;
    }
    if (n == pos) return fail("bad tag name");
    XmlNode node;
    node.name = std::string(xml.substr(pos, n - pos));
    pos = n;
    bool self_closing = false;
    while (true) {
      while (pos < xml.size() && isspace(static_cast<unsigned char>(xml[pos]))) ++pos;
      if (pos >= xml.size()) return fail("unterminated tag");
      if (xml[pos] == '>') {
        ++pos;
        break;
      }
      if (xml.substr(pos, 2) == "/>") {
        pos += 2;
        self_closing = true;
        break;
      }
      const size_t eq = xml.find('=', pos);
      if (eq == std::string_view::npos || xml[eq + 1] != '"') return fail("bad attribute");
      const std::string key(xml.substr(pos, eq - pos));
      const size_t end = xml.find('"', eq + 2);
      if (end == std::string_view::npos) return fail("unterminated attribute");
      std::string value;
      if (!decode(xml.substr(eq + 2, end - eq - 2), value)) return fail("bad attribute value");
      if (!node.attrs.emplace(key, value).second) return fail("duplicate attribute " + key);
      pos = end + 1;
    }
    if (stack.size() == 1 && !doc.children.empty()) return fail("second root element");
    stack.back()->children.push_back(std::move(node));
    if (!self_closing) stack.push_back(&stack.back()->children.back());
  }
  if (stack.size() != 1) return fail("unclosed element");
  if (doc.children.size() != 1) return fail("no root element");
  root = std::move(doc.children[0]);
  return true;
}

}  // namespace probestorm::stress::testing

#endif  // PROBESTORM_STRESS_XML_CHECK_TEST_UTIL_H_
