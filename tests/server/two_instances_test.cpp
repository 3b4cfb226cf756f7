// SPDX-License-Identifier: MIT
// Two collectors sharing one PostgreSQL database, as behind a load balancer: the same response
// ids delivered to both at the same time are stored once, each delivery gets exactly one
// "accepted" across the two, and both report the same data.
#include <atomic>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "postgres_fixture.hpp"
#include "server_fixture.hpp"

namespace cxm_test {
namespace {

class TwoInstances : public ServerTest {};

TEST_F(TwoInstances, SameIdsAtOnceAreStoredOnce) {
  cxm::test::postgres_schema schema;
  ASSERT_TRUE(schema.error().empty()) << schema.error();
  config_.store.url = schema.url();
  config_.rate.per_second = 0;
  auto a = cxm::server::server_instance::start(config_);
  ASSERT_TRUE(a) << a.detail();
  auto b = cxm::server::server_instance::start(config_);
  ASSERT_TRUE(b) << b.detail();
  const unsigned short ports[2] = {(*a)->port(), (*b)->port()};

  // 200 ids in batches of 20; every batch is sent by four clients, two to each instance.
  constexpr int ids = 200, batch = 20;
  std::atomic<long> accepted{0}, duplicate{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&, c] {
      for (int first = 0; first < ids; first += batch) {
        std::string body = R"({"responses":[)";
        for (int k = first; k < first + batch; ++k)
          body += (k > first ? "," : "") + response_record("p" + std::to_string(k), k % 11, c % 2 ? "app" : "web");
        body += "]}";
        auto r = post(ports[c % 2], "/v1/responses", body);
        if (r.result_int() != 200) {
          ++failed;
          continue;
        }
        auto j = boost::json::parse(r.body());
        accepted += static_cast<long>(j.at("accepted").as_int64());
        duplicate += static_cast<long>(j.at("duplicate").as_int64());
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(accepted.load(), ids);
  EXPECT_EQ(duplicate.load(), 3 * ids);
  for (unsigned short port : ports) {
    auto report = boost::json::parse(get(port, "/v1/report").body());
    EXPECT_EQ(report.at("stored").as_int64(), ids);
    EXPECT_EQ(report.at("responses").as_int64(), ids);
  }
  EXPECT_EQ(schema.query_int("SELECT count(*) FROM responses"), ids);
}

}  // namespace
}  // namespace cxm_test
