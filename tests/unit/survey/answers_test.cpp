// SPDX-License-Identifier: MIT
// The answers model (cxm/survey/answers.hpp): the owning `answers` and its `answers_view`, the
// setters of every type, copies and moves that keep the view valid (the debug preset runs this
// under AddressSanitizer, so a view left pointing into freed memory fails), and from_json keeping
// every JSON type as given.
#include "cxm/survey/answers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "cxm/survey/scoring.hpp"
#include "test_support.hpp"

using cxm::answer_type;
using cxm::errc;

namespace {

// Long enough to live on the heap, not inside the std::string (small-string optimization).
const std::string long_text(100, 'L');

// Every field of a view as text, read through the view only.
std::string dump(cxm::answers_view v) {
  std::string out;
  for (const cxm::answer& a : v) {
    out += std::string(a.question) + "=";
    const cxm::answer_value& x = a.value;
    switch (x.type) {
      case answer_type::number: out += "n:" + std::to_string(x.number); break;
      case answer_type::string: out += "s:" + std::string(x.text); break;
      case answer_type::strings:
        out += "ss:";
        for (std::size_t k = 0; k < x.item_count; ++k) out += std::string(x.items[k]) + ",";
        break;
      case answer_type::boolean: out += x.boolean ? "b:true" : "b:false"; break;
      case answer_type::null: out += "null"; break;
      case answer_type::array: out += "a:" + std::to_string(x.array_size); break;
      case answer_type::object: out += "o"; break;
    }
    out += ";";
  }
  return out;
}

cxm::answers sample() {
  cxm::answers a;
  a.set("n", 9.0);
  a.set("short", std::string("x"));
  a.set("long", long_text);
  a.set("many", std::vector<std::string>{"a", long_text, ""});
  a.set("yes", true);
  a.set("nothing", answer_type::null);
  a.set("arr", answer_type::array);
  a.set("obj", answer_type::object);
  return a;
}

const std::string sample_dump = "n=n:9.000000;short=s:x;long=s:" + long_text + ";many=ss:a," + long_text +
                                ",,;yes=b:true;nothing=null;arr=a:0;obj=o;";

}  // namespace

TEST(Answers, SettersOfEveryTypeAndTheView) {
  const cxm::answers a = sample();
  EXPECT_EQ(a.size(), 8u);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(dump(a.view()), sample_dump);
  const cxm::answers_view v = a;  // the implicit conversion is the view
  EXPECT_EQ(v.size(), a.size());
  EXPECT_EQ(v.begin(), a.view().begin());
  EXPECT_EQ(v[3].question, "many");
  EXPECT_EQ(v.find("many"), &v[3].value);
  EXPECT_EQ(a.find("many"), &v[3].value);
  EXPECT_EQ(v.find("absent"), nullptr);
  EXPECT_EQ(a.find("many")->item_count, 3u);
  EXPECT_EQ(a.find("many")->array_size, 3u);
  EXPECT_EQ(a.find("yes")->type, answer_type::boolean);
  const cxm::answers_view none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.find("n"), nullptr);
  EXPECT_TRUE(cxm::answers().view().empty());
}

TEST(Answers, ReplacingKeepsTheOrderAndResetsTheValue) {
  cxm::answers a = sample();
  a.set("many", 3.0);  // replaced in place: same position, the strings are gone
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a.view()[3].question, "many");
  EXPECT_EQ(a.find("many")->type, answer_type::number);
  EXPECT_EQ(a.find("many")->item_count, 0u);
  EXPECT_EQ(a.find("many")->items, nullptr);
  a.set("n", std::vector<std::string>{long_text});
  EXPECT_EQ(a.find("n")->number, 0.0);
  ASSERT_EQ(a.find("n")->item_count, 1u);
  EXPECT_EQ(a.find("n")->items[0], long_text);
  // The views of every other answer were rebuilt too.
  EXPECT_EQ(a.find("long")->text, long_text);
  EXPECT_TRUE(a.erase("short"));
  EXPECT_FALSE(a.erase("short"));
  EXPECT_EQ(a.size(), 7u);
  EXPECT_EQ(a.view()[1].question, "long");
  EXPECT_EQ(a.find("n")->items[0], long_text);
}

TEST(Answers, CopiesAndMovesKeepTheirViewsValid) {
  std::vector<cxm::answers> kept;
  {
    cxm::answers original = sample();
    cxm::answers copy = original;  // copy construction
    original.set("n", 1.0);        // the original changes; the copy does not
    EXPECT_EQ(dump(copy), sample_dump);
    cxm::answers assigned;
    assigned.set("zzz", 1.0);
    assigned = copy;  // copy assignment
    EXPECT_EQ(dump(assigned), sample_dump);
    const cxm::answers& same = assigned;
    assigned = same;  // self-assignment leaves it alone
    EXPECT_EQ(dump(assigned), sample_dump);
    cxm::answers moved = std::move(copy);  // move construction
    EXPECT_EQ(dump(moved), sample_dump);
    EXPECT_TRUE(copy.view().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
    copy.set("again", 2.0);
    EXPECT_EQ(dump(copy), "again=n:2.000000;");
    cxm::answers target = sample();
    target = std::move(moved);  // move assignment
    EXPECT_EQ(dump(target), sample_dump);
    kept.push_back(std::move(target));
    kept.push_back(assigned);
    // Growing the vector moves the answers again.
    for (int i = 0; i < 20; ++i) kept.push_back(sample());
  }  // the sources are gone: the survivors' views must not point into them
  for (const cxm::answers& a : kept) EXPECT_EQ(dump(a), sample_dump);
  // And a view taken from a survivor scores (reads every string) without touching freed memory.
  auto s = cxm::survey::parse(cxm_test::test_data("surveys/conditions.json"));
  ASSERT_TRUE(s.ok()) << s.detail();
  const cxm::scored_response r = cxm::score(*s, kept.back());
  EXPECT_FALSE(r.ok());  // none of the sample's questions is in this survey
  EXPECT_EQ(r.problems.size(), 1u + kept.back().size());  // nps missing, every answer unknown
}

TEST(Answers, FromJsonKeepsEveryJsonType) {
  auto a = cxm::answers::from_json(
      R"({"int":9,"neg":-3,"big":18446744073709551615,"frac":9.5,"exp":1e2,"str":"caf\u00e9","empty":"",)"
      R"("strs":["web","\u0041pp",""],"none":[],"mixed":["a",1],"nested":[["a"]],"objs":[{}],)"
      R"("obj":{"a":{"b":[1]}},"t":true,"f":false,"nul":null})");
  ASSERT_TRUE(a.ok()) << a.detail();
  EXPECT_EQ(a->size(), 16u);
  // In the order given.
  const char* order[] = {"int", "neg", "big", "frac", "exp", "str", "empty", "strs",
                         "none", "mixed", "nested", "objs", "obj", "t", "f", "nul"};
  for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(a->view()[i].question, order[i]);
  EXPECT_EQ(a->find("int")->type, answer_type::number);
  EXPECT_EQ(a->find("int")->number, 9.0);
  EXPECT_EQ(a->find("neg")->number, -3.0);
  EXPECT_EQ(a->find("big")->number, 18446744073709551615.0);
  EXPECT_EQ(a->find("frac")->number, 9.5);
  EXPECT_EQ(a->find("exp")->number, 100.0);
  EXPECT_EQ(a->find("str")->type, answer_type::string);
  EXPECT_EQ(a->find("str")->text, "caf\xc3\xa9");
  EXPECT_EQ(a->find("empty")->type, answer_type::string);
  EXPECT_EQ(a->find("empty")->text, "");
  const cxm::answer_value* strs = a->find("strs");
  EXPECT_EQ(strs->type, answer_type::strings);
  ASSERT_EQ(strs->item_count, 3u);
  EXPECT_EQ(strs->array_size, 3u);
  EXPECT_EQ(strs->items[0], "web");
  EXPECT_EQ(strs->items[1], "App");
  EXPECT_EQ(strs->items[2], "");
  EXPECT_EQ(a->find("none")->type, answer_type::strings);  // the empty array: no string is missing
  EXPECT_EQ(a->find("none")->item_count, 0u);
  for (const char* q : {"mixed", "nested", "objs"}) {
    EXPECT_EQ(a->find(q)->type, answer_type::array) << q;
    EXPECT_EQ(a->find(q)->item_count, 0u) << q;
    EXPECT_EQ(a->find(q)->items, nullptr) << q;
  }
  EXPECT_EQ(a->find("mixed")->array_size, 2u);
  EXPECT_EQ(a->find("nested")->array_size, 1u);
  EXPECT_EQ(a->find("obj")->type, answer_type::object);
  EXPECT_EQ(a->find("t")->type, answer_type::boolean);
  EXPECT_TRUE(a->find("t")->boolean);
  EXPECT_FALSE(a->find("f")->boolean);
  EXPECT_EQ(a->find("nul")->type, answer_type::null);

  // The type names used in reasons.
  const std::pair<const char*, const char*> names[] = {
      {"int", "a number"}, {"str", "a string"}, {"strs", "an array of strings"}, {"t", "a boolean"},
      {"nul", "null"}, {"mixed", "an array of non-strings"}, {"obj", "an object"}};
  for (const auto& [q, name] : names) EXPECT_STREQ(a->find(q)->json_type(), name) << q;

  // A decoded answers object copies like one built with the setters.
  const cxm::answers copy = *a;
  a = cxm::answers::from_json("{}");
  EXPECT_EQ(copy.find("strs")->items[1], "App");
  EXPECT_EQ(copy.find("str")->text, "caf\xc3\xa9");
}

TEST(Answers, FromJsonErrorsNameThePath) {
  struct row {
    std::string text;
    errc code;
  };
  const row rows[] = {
      {"", errc::parse_error},
      {"[]", errc::wrong_type},
      {"null", errc::wrong_type},
      {"9", errc::wrong_type},
      {R"({"a":1} x)", errc::parse_error},
      {R"({"a":1,"a":1})", errc::duplicate_key},
      {R"({"a":{"b":1,"b":2}})", errc::duplicate_key},  // inside an object answer too
      {R"({"a":-1e999})", errc::not_finite},
      {R"({"a":[1e999]})", errc::not_finite},
      {"{\"a\":\"\xED\xA0\x80\"}", errc::invalid_utf8},  // a UTF-8-encoded surrogate
      // Nesting: at most max_depth levels, the answers object included.
      {R"({"a":)" + std::string(cxm::answers::max_depth, '[') + std::string(cxm::answers::max_depth, ']') + "}",
       errc::too_deep},
  };
  for (const row& x : rows) {
    auto a = cxm::answers::from_json(x.text);
    ASSERT_FALSE(a.ok()) << x.text;
    EXPECT_EQ(a.code(), x.code) << x.text << ": " << a.detail();
    EXPECT_FALSE(a.detail().empty()) << x.text;
  }
  const std::string deepest = R"({"a":)" + std::string(cxm::answers::max_depth - 1, '[') +
                              std::string(cxm::answers::max_depth - 1, ']') + "}";
  EXPECT_TRUE(cxm::answers::from_json(deepest).ok()) << cxm::answers::from_json(deepest).detail();
  // The size limit counts bytes, at the limit and one over.
  std::string fits = R"({"t":")";
  fits += std::string(cxm::answers::max_bytes - fits.size() - 2, 'x') + "\"}";
  ASSERT_EQ(fits.size(), cxm::answers::max_bytes);
  EXPECT_TRUE(cxm::answers::from_json(fits).ok());
  fits.insert(6, "x");
  EXPECT_EQ(cxm::answers::from_json(fits).code(), errc::too_large);
}
