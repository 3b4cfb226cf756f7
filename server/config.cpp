// SPDX-License-Identifier: MIT
#include "server/config.hpp"

#include <filesystem>

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include "io/strict_json.hpp"

namespace cxm::server {
namespace {

bool fail(std::string& detail, std::string text) {
  detail = std::move(text);
  return false;
}

bool get_string(const boost::json::value& v, const std::string& key, std::string& out, std::string& detail) {
  if (!v.is_string()) return fail(detail, key + ": expected a string");
  out = std::string(v.get_string());
  return true;
}

bool get_number(const boost::json::value& v, const std::string& key, double lo, double hi, double& out,
                std::string& detail) {
  if (!v.is_number()) return fail(detail, key + ": expected a number");
  double d = v.to_number<double>();
  if (!(d >= lo && d <= hi)) return fail(detail, key + ": expected a number from " + std::to_string(lo) + " to " +
                                                     std::to_string(hi));
  out = d;
  return true;
}

bool get_count(const boost::json::value& v, const std::string& key, std::uint64_t lo, std::uint64_t hi,
               std::uint64_t& out, std::string& detail) {
  std::uint64_t u = 0;
  if (v.is_uint64()) u = v.get_uint64();
  else if (v.is_int64() && v.get_int64() >= 0) u = static_cast<std::uint64_t>(v.get_int64());
  else return fail(detail, key + ": expected a whole number");
  if (u < lo || u > hi) return fail(detail, key + ": expected " + std::to_string(lo) + " to " + std::to_string(hi));
  out = u;
  return true;
}

bool apply(const boost::json::object& top, serve_config& c, std::string& detail) {
  for (const auto& m : top) {
    const std::string key(m.key());
    const auto& v = m.value();
    std::uint64_t u = 0;
    std::string s;
    if (key == "listen") {
      if (!get_string(v, key, s, detail)) return false;
      if (!parse_listen(s, c, detail)) return fail(detail, "listen: " + detail);
    } else if (key == "surveys") {
      if (!get_string(v, key, c.surveys_dir, detail)) return false;
    } else if (key == "store") {
      if (!get_string(v, key, c.store.url, detail)) return false;
    } else if (key == "sync") {
      if (!get_string(v, key, s, detail)) return false;
      if (s == "full") c.store.sync = sync_mode::full;
      else if (s == "normal") c.store.sync = sync_mode::normal;
      else return fail(detail, "sync: expected \"full\" or \"normal\"");
    } else if (key == "threads") {
      if (!get_count(v, key, 0, 256, u, detail)) return false;
      c.threads = static_cast<unsigned>(u);
    } else if (key == "widget") {
      if (!get_string(v, key, c.widget_dir, detail)) return false;
    } else if (key == "demo") {
      if (!get_string(v, key, c.demo_dir, detail)) return false;
    } else if (key == "dashboard") {
      if (!get_string(v, key, c.dashboard_dir, detail)) return false;
    } else if (key == "max_body_bytes") {
      if (!get_count(v, key, 1024, std::uint64_t{64} << 20, u, detail)) return false;
      c.limits.body_bytes = static_cast<std::size_t>(u);
    } else if (key == "max_records") {
      if (!get_count(v, key, 1, 100000, u, detail)) return false;
      c.max_records = static_cast<std::size_t>(u);
    } else if (key == "max_connections") {
      if (!get_count(v, key, 1, 1000000, u, detail)) return false;
      c.limits.max_connections = static_cast<std::size_t>(u);
    } else if (key == "max_connections_per_client") {
      if (!get_count(v, key, 0, 1000000, u, detail)) return false;
      c.limits.max_connections_per_client = static_cast<std::size_t>(u);
    } else if (key == "read_timeout_ms") {
      if (!get_count(v, key, 100, 3600000, u, detail)) return false;
      c.limits.read_timeout = std::chrono::milliseconds(u);
    } else if (key == "cors_origins") {
      if (!v.is_array()) return fail(detail, key + ": expected an array of origins");
      c.cors_origins.clear();
      for (std::size_t i = 0; i < v.get_array().size(); ++i) {
        if (!get_string(v.get_array()[i], key + "[" + std::to_string(i) + "]", s, detail)) return false;
        c.cors_origins.push_back(s);
      }
    } else if (key == "trusted_proxies") {
      if (!v.is_array()) return fail(detail, key + ": expected an array of IP addresses");
      c.trusted_proxies.clear();
      for (std::size_t i = 0; i < v.get_array().size(); ++i) {
        if (!get_string(v.get_array()[i], key + "[" + std::to_string(i) + "]", s, detail)) return false;
        c.trusted_proxies.push_back(s);
      }
    } else if (key == "tokens") {
      if (!v.is_object()) return fail(detail, key + ": expected an object");
      for (const auto& t : v.get_object()) {
        const std::string tkey = key + "." + std::string(t.key());
        if (t.key() == "aggregates") {
          if (!t.value().is_object()) return fail(detail, tkey + ": expected an object of source: token");
          for (const auto& a : t.value().get_object()) {
            if (!get_string(a.value(), tkey + "." + std::string(a.key()), s, detail)) return false;
            c.aggregate_tokens[std::string(a.key())] = s;
          }
        } else if (t.key() == "report") {
          if (!t.value().is_array()) return fail(detail, tkey + ": expected an array of tokens");
          for (std::size_t i = 0; i < t.value().get_array().size(); ++i) {
            if (!get_string(t.value().get_array()[i], tkey + "[" + std::to_string(i) + "]", s, detail)) return false;
            c.report_tokens.push_back(s);
          }
        } else if (t.key() == "metrics") {
          if (!t.value().is_array()) return fail(detail, tkey + ": expected an array of tokens");
          for (std::size_t i = 0; i < t.value().get_array().size(); ++i) {
            if (!get_string(t.value().get_array()[i], tkey + "[" + std::to_string(i) + "]", s, detail)) return false;
            c.metrics_tokens.push_back(s);
          }
        } else {
          return fail(detail, tkey + ": unknown key (expected aggregates, report or metrics)");
        }
      }
    } else if (key == "rate_limit") {
      if (!v.is_object()) return fail(detail, key + ": expected an object");
      for (const auto& r : v.get_object()) {
        const std::string rkey = key + "." + std::string(r.key());
        if (r.key() == "per_second") {
          if (!get_number(r.value(), rkey, 0, 1e9, c.rate.per_second, detail)) return false;
        } else if (r.key() == "burst") {
          if (!get_number(r.value(), rkey, 1, 1e9, c.rate.burst, detail)) return false;
        } else {
          return fail(detail, rkey + ": unknown key (expected per_second or burst)");
        }
      }
    } else if (key == "metrics") {
      // GET /metrics: which segment keys become labels, and the series cap of each family.
      if (!v.is_object()) return fail(detail, key + ": expected an object");
      for (const auto& mv : v.get_object()) {
        const std::string mkey = key + "." + std::string(mv.key());
        if (mv.key() == "segment_labels") {
          if (!mv.value().is_array()) return fail(detail, mkey + ": expected an array of segment keys");
          c.metrics.segment_labels.clear();
          for (std::size_t i = 0; i < mv.value().get_array().size(); ++i) {
            if (!get_string(mv.value().get_array()[i], mkey + "[" + std::to_string(i) + "]", s, detail)) return false;
            c.metrics.segment_labels.push_back(s);
          }
        } else if (mv.key() == "max_series") {
          std::uint64_t n = 0;
          if (!get_count(mv.value(), mkey, 1, 1000000, n, detail)) return false;
          c.metrics.max_series = static_cast<std::size_t>(n);
        } else {
          return fail(detail, mkey + ": unknown key (expected segment_labels or max_series)");
        }
      }
    } else if (key == "otlp") {
      // The OTLP push: where, how often, with which headers (e.g. the receiver's credentials).
      if (!v.is_object()) return fail(detail, key + ": expected an object");
      for (const auto& ov : v.get_object()) {
        const std::string okey = key + "." + std::string(ov.key());
        double seconds = 0;
        if (ov.key() == "endpoint") {
          if (!get_string(ov.value(), okey, c.otlp.endpoint, detail)) return false;
        } else if (ov.key() == "interval_seconds") {
          if (!get_number(ov.value(), okey, 0.01, 86400, seconds, detail)) return false;
          c.otlp.interval = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
        } else if (ov.key() == "timeout_seconds") {
          if (!get_number(ov.value(), okey, 0.01, 600, seconds, detail)) return false;
          c.otlp.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
        } else if (ov.key() == "gzip") {
          if (!ov.value().is_bool()) return fail(detail, okey + ": expected true or false");
          c.otlp.gzip = ov.value().get_bool();
        } else if (ov.key() == "headers") {
          if (!ov.value().is_object()) return fail(detail, okey + ": expected an object of name: value");
          c.otlp.headers.clear();
          for (const auto& h : ov.value().get_object()) {
            if (!get_string(h.value(), okey + "." + std::string(h.key()), s, detail)) return false;
            c.otlp.headers.emplace_back(std::string(h.key()), s);
          }
        } else {
          return fail(detail, okey + ": unknown key (expected endpoint, interval_seconds, timeout_seconds, gzip or headers)");
        }
      }
    } else if (key == "access_log") {
      if (!get_string(v, key, c.access_log, detail)) return false;
    } else {
      return fail(detail, key + ": unknown key");
    }
  }
  return true;
}

// An origin as browsers send it: scheme://host[:port], nothing after.
bool valid_origin(std::string_view o) {
  std::size_t p = o.find("://");
  if (p == std::string_view::npos) return false;
  std::string_view scheme = o.substr(0, p);
  if (scheme != "http" && scheme != "https") return false;
  std::string_view rest = o.substr(p + 3);
  if (rest.empty()) return false;
  for (char ch : rest)
    if (ch == '/' || ch == '?' || ch == '#' || ch == ' ' || ch == '*' || static_cast<unsigned char>(ch) < 0x21)
      return false;
  return true;
}

}  // namespace

status parse_listen(std::string_view text, serve_config& config, std::string& detail) {
  std::string_view host, port = text;
  std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long n = 0;
  if (port.empty() || port.size() > 5) return fail(detail, "expected [address:]port"), errc::invalid_argument;
  for (char ch : port) {
    if (ch < '0' || ch > '9') return fail(detail, "expected [address:]port"), errc::invalid_argument;
    n = n * 10 + static_cast<unsigned long>(ch - '0');
  }
  if (n > 65535) return fail(detail, "the port must be 0-65535"), errc::out_of_range;
  if (!host.empty()) config.address = std::string(host);
  config.port = static_cast<unsigned short>(n);
  return errc::ok;
}

status apply_config_json(std::string_view text, serve_config& config, std::string& detail) {
  auto parsed = detail::parse_strict(text, {std::size_t{1} << 20, 8});
  if (!parsed) {
    detail = parsed.detail();
    return parsed.code();
  }
  if (!parsed->is_object()) {
    detail = "expected a JSON object";
    return errc::wrong_type;
  }
  return apply(parsed->get_object(), config, detail) ? status(errc::ok) : status(errc::invalid_argument);
}

status check_config(const serve_config& c, std::string& detail) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (c.surveys_dir.empty()) return fail(detail, "surveys: a directory of survey definitions is required"), errc::missing_field;
  for (const auto* dir : {&c.surveys_dir, &c.widget_dir, &c.demo_dir, &c.dashboard_dir}) {
    if (dir->empty()) continue;
    if (!fs::is_directory(*dir, ec)) return fail(detail, *dir + ": not a directory"), errc::not_found;
  }
  for (const auto& o : c.cors_origins)
    if (!valid_origin(o))
      return fail(detail, "cors_origins: \"" + o + "\" is not an origin (scheme://host[:port], no wildcard)"),
             errc::invalid_argument;
  for (const auto& [source, token] : c.aggregate_tokens)
    if (token.size() < 16) return fail(detail, "tokens.aggregates." + source + ": a token needs 16 bytes or more"), errc::invalid_argument;
  for (const auto& token : c.report_tokens)
    if (token.size() < 16) return fail(detail, "tokens.report: a token needs 16 bytes or more"), errc::invalid_argument;
  for (const auto& token : c.metrics_tokens)
    if (token.size() < 16) return fail(detail, "tokens.metrics: a token needs 16 bytes or more"), errc::invalid_argument;
  for (const auto& key : c.metrics.segment_labels) {
    // A segment key becomes the label segment_<key>: Prometheus label-name characters only.
    bool ok = !key.empty() && key.size() <= 64;
    for (char ch : key)
      ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_');
    if (!ok) return fail(detail, "metrics.segment_labels: \"" + key + "\" is not [a-zA-Z0-9_]{1,64}"), errc::invalid_argument;
  }
  for (const auto& proxy : c.trusted_proxies) {
    boost::system::error_code bad;
    boost::asio::ip::make_address(proxy, bad);
    if (bad) return fail(detail, "trusted_proxies: \"" + proxy + "\" is not an IP address"), errc::invalid_argument;
  }
  if (c.rate.per_second > 0 && c.rate.burst < 1) return fail(detail, "rate_limit.burst: at least 1"), errc::invalid_argument;
  if (!c.otlp.endpoint.empty()) {
    if (auto url = parse_http_url(c.otlp.endpoint); !url) return fail(detail, "otlp.endpoint: " + url.detail()), errc::invalid_argument;
    if (c.otlp.interval < std::chrono::milliseconds(10) || c.otlp.timeout < std::chrono::milliseconds(10))
      return fail(detail, "otlp: the interval and the timeout are at least 10 ms"), errc::invalid_argument;
  }
  return errc::ok;
}

}  // namespace cxm::server
