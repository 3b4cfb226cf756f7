// SPDX-License-Identifier: MIT
// A collector started in-process on a free loopback port, over a fresh SQLite file, with a
// widget, a demo page and the bundled survey in temporary directories.
#ifndef CXM_TESTS_SERVER_SERVER_FIXTURE_HPP
#define CXM_TESTS_SERVER_SERVER_FIXTURE_HPP

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server/serve.hpp"

namespace cxm_test {

namespace fs = std::filesystem;

inline void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cxm-server-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ / "surveys");
    fs::copy_file(CXM_EXAMPLES_DIR "/web/surveys/after-onboarding.json", dir_ / "surveys/after-onboarding.json");
    write_file(dir_ / "surveys/notes.txt", "not a definition");
    write_file(dir_ / "wasm/widget/cxm-survey.js", "export {};\n");
    write_file(dir_ / "wasm/cxm_survey_wasm.wasm", std::string("\0asm\1\0\0\0", 8));
    write_file(dir_ / "wasm/widget/cxm.d.ts", "declare const x: number;\n");
    write_file(dir_ / "wasm/.hidden.js", "secret\n");
    write_file(dir_ / "outside/secret.js", "secret\n");
    fs::create_symlink(dir_ / "outside/secret.js", dir_ / "wasm/widget/escape.js");
    write_file(dir_ / "demo/index.html", "<!doctype html><title>demo</title>\n");
    write_file(dir_ / "demo/demo.css", "body{}\n");
    write_file(dir_ / "demo/README.md", "# demo\n");
    config_.port = 0;
    config_.threads = 2;
    config_.surveys_dir = (dir_ / "surveys").string();
    config_.widget_dir = (dir_ / "wasm").string();
    config_.demo_dir = (dir_ / "demo").string();
    config_.store.url = "sqlite:" + (dir_ / "cxm.db").string();
    config_.access_log = (dir_ / "access.log").string();
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void start() {
    auto s = cxm::server::server_instance::start(config_);
    ASSERT_TRUE(s) << s.detail();
    server_ = std::move(*s);
    port_ = server_->port();
  }

  void restart() {
    server_.reset();
    start();
  }

  fs::path dir_;
  cxm::server::serve_config config_;
  std::unique_ptr<cxm::server::server_instance> server_;
  unsigned short port_ = 0;
};

/// A valid response to the bundled survey.
inline std::string response_record(const std::string& id, int nps, const std::string& channel = "web") {
  return R"({"id":")" + id + R"(","survey_id":"after-onboarding","survey_version":3,"channel":")" + channel +
         R"(","timestamp":"2026-12-03T10:00:00Z","answers":{"nps":)" + std::to_string(nps) + "}}";
}

}  // namespace cxm_test

#endif  // CXM_TESTS_SERVER_SERVER_FIXTURE_HPP
