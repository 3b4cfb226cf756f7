// SPDX-License-Identifier: MIT
// The owning answers and their JSON form (format in cxm/survey/answers.hpp).
#include "cxm/survey/answers.hpp"

#include <utility>

#include "io/json_reader.hpp"

CXM_BEGIN_NAMESPACE

const char* answer_value::json_type() const noexcept {
  switch (type) {
    case answer_type::number: return "a number";
    case answer_type::string: return "a string";
    case answer_type::strings: return "an array of strings";
    case answer_type::boolean: return "a boolean";
    case answer_type::null: return "null";
    case answer_type::array: return "an array of non-strings";
    case answer_type::object: return "an object";
  }
  return "a value";
}

answers::answers(const answers& other) : entries_(other.entries_) { rebuild(); }
answers& answers::operator=(const answers& other) {
  if (this != &other) {
    entries_ = other.entries_;
    rebuild();
  }
  return *this;
}
// A vector's move keeps its element storage, so the views into the entries stay valid: moving
// takes them along instead of rebuilding (which would allocate).
answers::answers(answers&& other) noexcept
    : entries_(std::move(other.entries_)), item_views_(std::move(other.item_views_)), view_(std::move(other.view_)) {
  other.entries_.clear();
  other.item_views_.clear();
  other.view_.clear();
}
answers& answers::operator=(answers&& other) noexcept {
  if (this != &other) {
    entries_ = std::move(other.entries_);
    item_views_ = std::move(other.item_views_);
    view_ = std::move(other.view_);
    other.entries_.clear();
    other.item_views_.clear();
    other.view_.clear();
  }
  return *this;
}
answers::~answers() = default;

answers::entry& answers::slot(std::string question) {
  for (entry& e : entries_)
    if (e.question == question) {
      e = entry{};
      e.question = std::move(question);
      return e;
    }
  entries_.emplace_back();
  entries_.back().question = std::move(question);
  return entries_.back();
}

// Views point into entries_ (strings move with a vector's reallocation, and short ones live
// inside the entry), so they are rebuilt after every change.
void answers::rebuild() {
  item_views_.clear();
  std::size_t items = 0;
  for (const entry& e : entries_) items += e.items.size();
  item_views_.reserve(items);
  for (const entry& e : entries_)
    for (const std::string& i : e.items) item_views_.emplace_back(i);
  view_.clear();
  view_.reserve(entries_.size());
  std::size_t next_item = 0;
  for (const entry& e : entries_) {
    answer a;
    a.question = e.question;
    a.value.type = e.type;
    a.value.number = e.number;
    a.value.boolean = e.boolean;
    a.value.text = e.text;
    a.value.array_size = e.array_size;
    if (e.type == answer_type::strings) {
      a.value.items = item_views_.data() + next_item;
      a.value.item_count = e.items.size();
    }
    next_item += e.items.size();
    view_.push_back(a);
  }
}

void answers::set(std::string question, double number) {
  entry& e = slot(std::move(question));
  e.type = answer_type::number;
  e.number = number;
  rebuild();
}

void answers::set(std::string question, std::string text) {
  entry& e = slot(std::move(question));
  e.type = answer_type::string;
  e.text = std::move(text);
  rebuild();
}

void answers::set(std::string question, std::vector<std::string> items) {
  entry& e = slot(std::move(question));
  e.type = answer_type::strings;
  e.array_size = items.size();
  e.items = std::move(items);
  rebuild();
}

void answers::set(std::string question, bool boolean) {
  entry& e = slot(std::move(question));
  e.type = answer_type::boolean;
  e.boolean = boolean;
  rebuild();
}

void answers::set(std::string question, answer_type type) {
  entry& e = slot(std::move(question));
  e.type = type == answer_type::array || type == answer_type::object ? type : answer_type::null;
  rebuild();
}

bool answers::erase(std::string_view question) noexcept {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->question == question) {
      entries_.erase(it);
      rebuild();
      return true;
    }
  return false;
}

result<answers> answers::from_json(std::string_view text) {
  detail::json_reader r;
  if (!r.parse(text, max_bytes, max_depth)) return r.error<answers>();
  const detail::json_value root = r.root();
  if (!root.is_object()) {
    r.fail(errc::wrong_type, detail::json_path(), {"expected an object of answers"});
    return r.error<answers>();
  }
  answers out;
  out.entries_.reserve(root.size());
  for (std::size_t k = 0; k < root.size(); ++k) {
    entry e;
    e.question.assign(root.key_at(k));
    const detail::json_value v = root.value_at(k);
    if (v.is_number()) {
      e.type = answer_type::number;
      e.number = v.get_number();
    } else if (v.is_string()) {
      e.type = answer_type::string;
      e.text.assign(v.get_string());
    } else if (v.is_array()) {
      e.array_size = v.size();
      e.type = answer_type::strings;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (!v.at(i).is_string()) e.type = answer_type::array;
      if (e.type == answer_type::strings)
        for (std::size_t i = 0; i < v.size(); ++i) e.items.emplace_back(v.at(i).get_string());
    } else if (v.is_bool()) {
      e.type = answer_type::boolean;
      e.boolean = v.get_bool();
    } else if (v.is_object()) {
      e.type = answer_type::object;
    }
    out.entries_.push_back(std::move(e));  // keys are unique: the strict parse refuses duplicates
  }
  out.rebuild();
  return out;
}

CXM_END_NAMESPACE
