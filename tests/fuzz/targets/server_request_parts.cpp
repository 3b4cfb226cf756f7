// SPDX-License-Identifier: MIT
// The parts of a cxm serve request that are not a body: the percent-decoder of paths and query
// strings, the /v1/report and /v1/analysis query parser, the time-zone name of `tz`, the
// static-file lookup, and the --config JSON; and what the OTLP push reads back from a receiver. The first byte picks the part, the rest is the
// input. Checks: nothing crashes; a refusal says why; a decoded text round-trips through a
// full re-encoding; an accepted query holds values in their documented ranges; a zone name is
// read only from under its directory; a static file found is one of the files served (never
// the hidden file, never the file a symbolic link leads out to); an accepted configuration
// keeps its invariants; a receiver's Retry-After and OTLP success reply (the push's inputs from
// the network) are read without harm, a delay never negative.
#ifndef CXM_FUZZ_NO_SERVER_REQUEST_PARTS
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "cxm/report/report.hpp"
#include "fuzz_support.hpp"
#include "server/config.hpp"
#include "server/http/static_files.hpp"
#include "server/http/url.hpp"
#include "server/otlp/push.hpp"
#include "server/report.hpp"
#include "server/zoneinfo.hpp"

namespace cxm_fuzz {
namespace {

namespace fs = std::filesystem;

// A scratch tree made once per process: a served directory with a few files, a hidden one, a
// link leading out to a secret, and a time-zone directory holding one zone (UTC's TZif bytes).
struct scratch {
  fs::path root;
  fs::path served;
  std::set<std::string> servable;  // canonical paths find() may return
  std::string secret = "cxm-fuzz-secret-outside-the-served-directory";
  cxm::server::static_files files;

  scratch() {
    char tmpl[] = "/tmp/cxm-fuzz-request-XXXXXX";
    const char* made = mkdtemp(tmpl);
    if (!made) std::abort();
    root = made;
    served = root / "www";
    fs::create_directories(served / "sub");
    write(served / "index.html", "<!doctype html><p>index</p>");
    write(served / "app.js", "export const x = 1;");
    write(served / "sub" / "style.css", "p { color: black }");
    write(served / "sub" / "survey.json", "{}");
    write(served / ".hidden.js", secret);
    write(served / "notes.exe", secret);  // an extension nobody serves
    write(root / "secret.js", secret);
    fs::create_symlink(root / "secret.js", served / "escape.js");
    fs::create_symlink(served / "app.js", served / "sub" / "inside.js");  // a link that stays inside
    for (const char* f : {"index.html", "app.js", "sub/style.css", "sub/survey.json"})
      servable.insert(fs::canonical(served / f).string());
    if (!files.add("/s/", served.string()) || !files.add_file("/", (served / "index.html").string())) std::abort();

    // $TZDIR: one zone, "Fuzz/Zone", with the bytes of a real TZif file when the machine has one.
    fs::create_directories(root / "zoneinfo" / "Fuzz");
    std::ifstream utc("/usr/share/zoneinfo/UTC", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(utc)), std::istreambuf_iterator<char>());
    write(root / "zoneinfo" / "Fuzz" / "Zone", bytes);
    write(root / "outside-zone", bytes);
    setenv("TZDIR", (root / "zoneinfo").c_str(), 1);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
};

scratch& tree() {
  static scratch s;
  return s;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

void check_decode(const std::string& in) {
  for (bool plus : {false, true}) {
    std::string out;
    const bool ok = cxm::server::percent_decode(in, out, plus);
    // Well formed exactly when every '%' starts a two-hex-digit escape.
    bool well_formed = true;
    for (std::size_t i = 0; i < in.size(); ++i)
      if (in[i] == '%') {
        if (i + 2 >= in.size() || !is_hex(in[i + 1]) || !is_hex(in[i + 2])) {
          well_formed = false;
          break;
        }
        i += 2;
      }
    CXM_FUZZ_CHECK_MSG(ok == well_formed, in);
    if (!ok) continue;
    CXM_FUZZ_CHECK(out.size() <= in.size());
    // Every byte escaped decodes back to itself, in either mode.
    std::string encoded;
    static const char digits[] = "0123456789ABCDEF";
    for (char ch : out) {
      const auto c = static_cast<unsigned char>(ch);
      encoded += '%';
      encoded += digits[c >> 4];
      encoded += digits[c & 15];
    }
    std::string again;
    CXM_FUZZ_CHECK(cxm::server::percent_decode(encoded, again, !plus));
    CXM_FUZZ_CHECK(again == out);
    // A '%' comes out only of an escaped one.
    CXM_FUZZ_CHECK(out.find('%') == std::string::npos || in.find("%25") != std::string::npos);
  }
}

void check_query(const std::string& in) {
  auto q = cxm::server::parse_report_query(in);
  if (!q) {
    CXM_FUZZ_CHECK(q.code() == cxm::errc::invalid_argument && !q.detail().empty());
    return;
  }
  CXM_FUZZ_CHECK_MSG(q->level > 0 && q->level < 1, in);
  CXM_FUZZ_CHECK_MSG(q->min_n <= 1000000, in);
  CXM_FUZZ_CHECK_MSG(q->breakdowns.size() <= 8, in);
  for (const auto& b : q->breakdowns) CXM_FUZZ_CHECK_MSG(!b.empty() && b.find(',') == std::string::npos, in);
  cxm::p_adjust_method m{};
  (void)cxm::parse_report_p_adjust(q->p_adjust, m);  // any text: parsed or refused, never read past
  if (!q->tz.empty()) (void)cxm::server::load_time_zone(q->tz);
}

void check_zone(const std::string& in) {
  scratch& s = tree();
  auto z = cxm::server::load_time_zone(in);
  if (!z) {
    CXM_FUZZ_CHECK(!z.detail().empty());
    return;
  }
  if (cxm::time_zone::parse_fixed(in)) return;
  // A zone read from a file: the name is a plain relative path that stays under $TZDIR.
  const fs::path p = fs::weakly_canonical(s.root / "zoneinfo" / in);
  const std::string dir = fs::canonical(s.root / "zoneinfo").string() + "/";
  CXM_FUZZ_CHECK_MSG(p.string().rfind(dir, 0) == 0, in);
}

void check_static(const std::string& in) {
  scratch& s = tree();
  auto f = s.files.find(in, 1 << 16);
  if (!f) {
    const cxm::errc e = f.code();
    CXM_FUZZ_CHECK_MSG(e == cxm::errc::not_found || e == cxm::errc::invalid_argument || e == cxm::errc::too_large, in);
    return;
  }
  CXM_FUZZ_CHECK_MSG(s.servable.count(f->path) == 1, in + " -> " + f->path);
  CXM_FUZZ_CHECK_MSG(f->body.find(s.secret) == std::string::npos, in);
  CXM_FUZZ_CHECK(f->content_type != nullptr);
}

void check_config(const std::string& in) {
  cxm::server::serve_config c;
  std::string detail;
  const cxm::status st = cxm::server::apply_config_json(in, c, detail);
  if (!st) {
    CXM_FUZZ_CHECK(!detail.empty());
    return;
  }
  CXM_FUZZ_CHECK(c.rate.per_second >= 0 && c.rate.burst >= 0);
  std::string why;
  (void)cxm::server::check_config(c, why);  // directories may not exist: a refusal is fine, a crash is not
}

// A receiver's Retry-After: a delay is never negative, and delay-seconds mean what they say.
void check_retry_after(const std::string& in) {
  std::chrono::milliseconds delay{-1};
  const std::int64_t now = 1'700'000'000'000;
  if (!cxm::server::parse_retry_after(in, now, delay)) return;
  CXM_FUZZ_CHECK_MSG(delay.count() >= 0, in);
  std::string t = in;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
  if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos)
    CXM_FUZZ_CHECK_MSG(delay.count() == std::stoll(t) * 1000, in);
}

// An OTLP receiver's success reply: any bytes, as JSON or not; a count only from a
// partialSuccess that holds one.
void check_otlp_reply(const std::string& in) {
  cxm::server::http_reply reply;
  reply.status = 200;
  reply.content_type = "application/json";
  reply.body = in;
  std::string message;
  const std::uint64_t n = cxm::server::otlp_pusher::rejected_points(reply, message);
  if (n > 0) CXM_FUZZ_CHECK_MSG(in.find("rejectedDataPoints") != std::string::npos || in.find('\\') != std::string::npos, in);
  reply.content_type = "application/x-protobuf";
  CXM_FUZZ_CHECK(cxm::server::otlp_pusher::rejected_points(reply, message) == 0);
}

}  // namespace

int server_request_parts(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 7) {
    case 0: check_decode(in); break;
    case 1: check_query(in); break;
    case 2: check_zone(in); break;
    case 3: check_static(in); break;
    case 4: check_config(in); break;
    case 5: check_retry_after(in); break;
    default: check_otlp_reply(in); break;
  }
  return 0;
}

}  // namespace cxm_fuzz

#else  // the -fno-exceptions preset: compiled out (tests/fuzz/CMakeLists.txt); the replay skips it

#include "fuzz_support.hpp"

namespace cxm_fuzz {
int server_request_parts(const std::uint8_t*, std::size_t) { return 0; }
}  // namespace cxm_fuzz

#endif
