// SPDX-License-Identifier: MIT
// The outbox when things go wrong: a full disk (RLIMIT_FSIZE), a read-only directory, files
// damaged at rest (a flipped byte, a torn or garbage tail, an empty segment, bad state and
// settled files), a second process on the same directory, a process killed while appending,
// a clock that goes back, and a batch acknowledged twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cxm/device/outbox.hpp"
#include "outbox_test_support.hpp"

using namespace outbox_test;
using cxm::errc;
using cxm::record_kind;

namespace {

constexpr std::size_t frame_overhead = 8 + 26;  // length, CRC, kind, flags, id, capture time

// Ten responses (seq 0..9) queued, then the outbox closed.
void queue_ten(fixture& f) {
  cxm::outbox box = f.open(false);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(box.append(record_kind::response, response_json(i)).ok());
}

// The seq of every record on offer (left in flight), with consent given.
std::vector<std::int64_t> offered_seqs(cxm::outbox& box) {
  EXPECT_TRUE(box.set_consent(cxm::consent_state::given).ok());
  std::vector<std::int64_t> seqs;
  for (;;) {
    auto b = box.next_batch(1u << 20);
    if (!b) break;
    for (const auto& r : records_of(b->payload)) seqs.push_back(r.at("context").at("seq").as_int64());
  }
  return seqs;
}

std::vector<std::int64_t> range_without(int n, std::set<int> gone) {
  std::vector<std::int64_t> v;
  for (int i = 0; i < n; ++i)
    if (gone.count(i) == 0) v.push_back(i);
  return v;
}

// Where record `seq`'s frame starts in a segment's bytes.
std::size_t frame_of(const std::string& bytes, int seq) {
  const std::size_t json = bytes.find(response_json(seq));
  EXPECT_NE(json, std::string::npos);
  return json - frame_overhead;
}

void flip(const std::string& path, std::size_t at) {
  std::string bytes = read_file(path);
  ASSERT_LT(at, bytes.size());
  bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
  write_file(path, bytes);
}

std::uint64_t size_of(const std::string& path) {
  std::error_code ec;
  return std::filesystem::file_size(path, ec);
}

// Runs `child` in a forked process and returns its exit status (-1 when it did not exit).
template <class F>
int in_child(F child) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) _exit(child());
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// In a child running as root, become "nobody" so that permission bits apply.
bool drop_root() {
  if (geteuid() != 0) return true;
  return setgid(65534) == 0 && setuid(65534) == 0;
}

}  // namespace

// ---- a full disk -------------------------------------------------------------------------------

TEST(OutboxFaults, AFullDiskFailsTheAppendAndKeepsEarlierRecords) {
  fixture f;
  {
    cxm::outbox box = f.open();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(box.append(record_kind::response, response_json(i)).ok());
    const std::string seg = f.segment();
    const std::uint64_t before = size_of(seg);
    const std::uint64_t frame = frame_overhead + response_json(3).size();

    // Room for one more record and part of the next: the disk fills up mid-frame.
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    rlimit small = old;
    small.rlim_cur = before + frame + frame / 2;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    auto fits = box.append(record_kind::response, response_json(3));
    auto full = box.append(record_kind::response, response_json(4));
    const std::uint64_t after = size_of(seg);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);

    EXPECT_TRUE(fits.ok()) << fits.detail();
    ASSERT_EQ(full.code(), errc::no_space);
    EXPECT_NE(full.detail().find(seg + ": "), std::string::npos) << full.detail();
    EXPECT_NE(full.detail().find("File too large"), std::string::npos) << full.detail();
    EXPECT_EQ(after, before + frame);  // the partial frame was cut off
    EXPECT_EQ(box.counts().pending_records, 4u);

    // Space is back: appends work again, on the same object.
    ASSERT_TRUE(box.append(record_kind::response, response_json(5)).ok());
  }
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 0u);
  EXPECT_EQ(offered_seqs(box), (std::vector<std::int64_t>{0, 1, 2, 3, 5}));
}

// ---- a read-only directory ---------------------------------------------------------------------

TEST(OutboxFaults, AReadOnlyDirectoryFailsOpenNamingTheFile) {
  fixture f;
  ASSERT_EQ(chmod(f.dir.root.c_str(), 0755), 0);  // the child may look inside
  ASSERT_EQ(mkdir(f.dir.path.c_str(), 0755), 0);
  ASSERT_EQ(chmod(f.dir.path.c_str(), 0555), 0);
  const int rc = in_child([&] {
    if (!drop_root()) return 10;
    auto r = cxm::outbox::open(f.options);
    if (r.code() != errc::io_error) return 11;
    if (r.detail().find(f.dir.path + "/LOCK: Permission denied") == std::string::npos) {
      std::fprintf(stderr, "detail: %s\n", r.detail().c_str());
      return 12;
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(OutboxFaults, AReadOnlySegmentFailsOpenNamingIt) {
  fixture f;
  queue_ten(f);
  const std::string seg = f.segment();
  if (geteuid() == 0) {
    for (const auto& e : std::filesystem::directory_iterator(f.dir.path))
      ASSERT_EQ(chown(e.path().c_str(), 65534, 65534), 0);
  }
  ASSERT_EQ(chmod(f.dir.root.c_str(), 0755), 0);
  ASSERT_EQ(chmod(seg.c_str(), 0444), 0);
  ASSERT_EQ(chmod(f.dir.path.c_str(), 0555), 0);
  const int rc = in_child([&] {
    if (!drop_root()) return 10;
    auto r = cxm::outbox::open(f.options);
    if (r.code() != errc::io_error) return 11;
    if (r.detail().find(seg + ": Permission denied") == std::string::npos) {
      std::fprintf(stderr, "detail: %s\n", r.detail().c_str());
      return 12;
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(OutboxFaults, AppendsGoOnWhenTheDirectoryTurnsReadOnly) {
  // The records already go to an open file; what needs a new file (consent, purge) fails.
  fixture f;
  if (geteuid() == 0) {
    ASSERT_EQ(chown(f.dir.root.c_str(), 65534, 65534), 0);
  }
  const int rc = in_child([&] {
    if (!drop_root()) return 10;
    {
      auto r = cxm::outbox::open(f.options);
      if (!r) return 11;
      cxm::outbox box = std::move(r).value();
      if (!box.append(record_kind::response, response_json(0))) return 12;
      if (chmod(f.dir.path.c_str(), 0555) != 0) return 13;
      if (!box.append(record_kind::response, response_json(1))) return 14;
      if (box.set_consent(cxm::consent_state::given).code() != errc::io_error) return 15;
      if (box.purge().code() != errc::io_error) return 16;
      if (box.counts().pending_records != 2) return 17;
    }
    if (chmod(f.dir.path.c_str(), 0700) != 0) return 18;
    auto again = cxm::outbox::open(f.options);
    if (!again || again->counts().pending_records != 2 || again->counts().corrupt_skipped != 0) return 19;
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

// ---- files damaged at rest ---------------------------------------------------------------------

TEST(OutboxFaults, AFlippedByteLosesOnlyItsRecordCountedOnce) {
  fixture f;
  queue_ten(f);
  const std::string seg = f.segment();
  flip(seg, frame_of(read_file(seg), 5) + frame_overhead + 20);  // inside record 5's JSON
  {
    cxm::outbox box = f.open();
    EXPECT_EQ(box.counts().corrupt_skipped, 1u);
    EXPECT_EQ(box.counts().pending_records, 9u);
    EXPECT_EQ(offered_seqs(box), range_without(10, {5}));
  }
  // The segment was rewritten without the damage: the next open counts nothing more.
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 1u);
  EXPECT_EQ(box.counts().pending_records, 9u);
}

TEST(OutboxFaults, ADamagedLengthFieldLosesOnlyItsRecord) {
  fixture f;
  queue_ten(f);
  const std::string seg = f.segment();
  flip(seg, frame_of(read_file(seg), 3) + 2);  // the length's third byte: 8 MiB off
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 1u);
  EXPECT_EQ(offered_seqs(box), range_without(10, {3}));
}

TEST(OutboxFaults, ATornTailIsCutAwayBeforeNewAppends) {
  fixture f;
  queue_ten(f);
  const std::string seg = f.segment();
  const std::string bytes = read_file(seg);
  write_file(seg, bytes.substr(0, bytes.size() - 10));  // the last frame lost its end
  {
    cxm::outbox box = f.open();
    EXPECT_EQ(box.counts().corrupt_skipped, 1u);
    EXPECT_EQ(box.counts().pending_records, 9u);
    EXPECT_EQ(size_of(seg), frame_of(bytes, 9));  // cut at the end of record 8
    ASSERT_TRUE(box.append(record_kind::response, response_json(10)).ok());
  }
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 1u);
  EXPECT_EQ(offered_seqs(box), range_without(11, {9}));
}

TEST(OutboxFaults, GarbageAfterTheLastFrameIsCutAway) {
  fixture f;
  queue_ten(f);
  const std::string seg = f.segment();
  const std::string bytes = read_file(seg);
  write_file(seg, bytes + std::string(100, '\xAB') + std::string(4096, '\0'));
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 1u);
  EXPECT_EQ(size_of(seg), bytes.size());
  EXPECT_EQ(offered_seqs(box), range_without(10, {}));
}

TEST(OutboxFaults, EmptySegmentFilesAreHarmless) {
  fixture f;
  queue_ten(f);
  // One past the active segment (a crash while rolling over), one before it.
  write_file(f.dir.file("seg-00000000000000ff.log"), "");
  write_file(f.dir.file("seg-0000000000000000.log"), "");
  {
    cxm::outbox box = f.open();
    EXPECT_EQ(box.counts().corrupt_skipped, 0u);
    EXPECT_EQ(box.counts().pending_records, 10u);
    ASSERT_TRUE(box.append(record_kind::response, response_json(10)).ok());  // into the empty one
  }
  EXPECT_EQ(segments(f.dir), (std::vector<std::string>{"seg-0000000000000001.log", "seg-00000000000000ff.log"}));
  cxm::outbox box = f.open();
  EXPECT_EQ(offered_seqs(box), range_without(11, {}));
}

TEST(OutboxFaults, ADamagedSegmentHeaderLosesNothing) {
  fixture f;
  queue_ten(f);
  flip(f.segment(), 1);
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 0u);
  EXPECT_EQ(offered_seqs(box), range_without(10, {}));
}

TEST(OutboxFaults, ACorruptStateFileGivesTheDefaultsCounted) {
  fixture f;
  {
    cxm::outbox box = f.open();
    ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(box.append(record_kind::response, response_json(i)).ok());
    auto b = box.next_batch(1024);  // two records
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(box.fail(b->id, 400, 0).ok());
  }
  write_file(f.dir.file("state"), "not a state file");
  cxm::outbox box = f.open(false);
  EXPECT_EQ(box.consent(), cxm::consent_state::unknown);  // nothing is sent until asked again
  EXPECT_EQ(box.counts().corrupt_skipped, 1u);
  EXPECT_EQ(box.counts().dropped_rejected, 2u);  // the settled log also carries the counters
  EXPECT_EQ(box.counts().pending_records, 2u);
}

TEST(OutboxFaults, ACorruptSettledFrameBringsItsRecordsBack) {
  fixture f;
  {
    cxm::outbox box = f.open();
    ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(box.append(record_kind::response, response_json(i)).ok());
    for (int k = 0; k < 2; ++k) {  // two acks of two records: two settled frames
      auto b = box.next_batch(1024);
      ASSERT_TRUE(b.ok());
      ASSERT_EQ(b->records, 2u);
      ASSERT_TRUE(box.ack(b->id).ok());
    }
  }
  flip(f.dir.file("settled.log"), 8 + 8 + 20);  // inside the first frame
  {
    cxm::outbox box = f.open();
    EXPECT_EQ(box.counts().corrupt_skipped, 1u);
    // Delivered at least once: records 0 and 1 are offered again (the collector removes them).
    EXPECT_EQ(offered_seqs(box), range_without(10, {2, 3}));
  }
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 1u);  // the log was rewritten: not counted again
  EXPECT_EQ(box.counts().pending_records, 8u);
}

TEST(OutboxFaults, ATornSettledTailIsIgnored) {
  fixture f;
  {
    cxm::outbox box = f.open();
    ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(box.append(record_kind::response, response_json(i)).ok());
    auto b = box.next_batch(1024);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(box.ack(b->id).ok());
  }
  const std::string settled = read_file(f.dir.file("settled.log"));
  write_file(f.dir.file("settled.log"), settled.substr(0, settled.size() - 5));
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().corrupt_skipped, 0u);
  EXPECT_EQ(box.counts().pending_records, 4u);  // the ack never completed: offered again
}

// ---- processes ---------------------------------------------------------------------------------

TEST(OutboxFaults, ASecondProcessIsLockedOut) {
  fixture f;
  cxm::outbox box = f.open();
  const int rc = in_child([&] {
    auto r = cxm::outbox::open(f.options);
    if (r.code() != errc::locked) return 11;
    return r.detail().find(f.dir.path) == std::string::npos ? 12 : 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(OutboxFaults, AProcessKilledWhileAppendingLosesNoReturnedRecord) {
  fixture f;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::fflush(nullptr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    cxm::outbox_options o = options_for(f.dir);
    auto r = cxm::outbox::open(o);
    if (!r) _exit(1);
    for (int i = 0;; ++i) {
      auto id = r->append(record_kind::response, response_json(i));
      if (!id) _exit(2);
      const std::string line = *id + "\n";
      if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
    }
  }
  close(fds[1]);
  // Read ids as they are returned; kill the child mid-stream.
  std::string received;
  char buf[4096];
  while (received.size() < 300 * 37) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) received.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);

  std::set<std::string> returned;
  for (std::size_t at = 0; at + 37 <= received.size(); at += 37) returned.insert(received.substr(at, 36));
  ASSERT_GE(returned.size(), 300u);
  cxm::outbox box = f.open();
  EXPECT_LE(box.counts().corrupt_skipped, 1u);  // at most the frame being written
  ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
  std::set<std::string> recovered;
  for (const std::string& id : take_all(box, true)) recovered.insert(id);
  for (const std::string& id : returned) EXPECT_EQ(recovered.count(id), 1u) << id;
  EXPECT_LE(recovered.size(), returned.size() + 1);  // plus one durable before its id was sent
}

// ---- clock and misuse --------------------------------------------------------------------------

TEST(OutboxFaults, AClockThatGoesBackNeitherStallsDeliveryNorExpiresRecords) {
  fixture f;
  f.options.ttl_ms = 60'000;
  cxm::outbox box = f.open();
  ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
  ASSERT_TRUE(box.append(record_kind::response, response_json(0)).ok());
  auto b = box.next_batch(4096);
  ASSERT_TRUE(b.ok());
  f.random.set(0);
  ASSERT_TRUE(box.fail(b->id, 503, 0).ok());  // failure 1: 1000 * 0.5 = 500 ms
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 500);

  // Set back a day: t0 + 500 is a day ahead, more than the longest wait granted (retry_max_ms
  // 8 s), so it is pulled in to now + 8 s.
  const std::int64_t back = t0 - 86'400'000;
  f.clock.set(back);
  EXPECT_EQ(box.counts().next_attempt_ms, back + 8000);
  EXPECT_EQ(box.next_batch(4096).code(), errc::retry_later);
  f.clock.set(back + 7999);
  EXPECT_EQ(box.next_batch(4096).code(), errc::retry_later);
  f.clock.set(back + 8000);
  // The record was captured "in the future" of this clock: it is not expired.
  b = box.next_batch(4096);
  ASSERT_TRUE(b.ok()) << b.detail();
  EXPECT_EQ(b->records, 1u);
  EXPECT_EQ(box.counts().dropped_ttl, 0u);
  // Ids keep increasing although the clock is behind them.
  auto later = box.append(record_kind::event, "{}");
  ASSERT_TRUE(later.ok());
  EXPECT_GT(*later, b->id);
}

TEST(OutboxFaults, ABatchAcknowledgedTwiceIsNotFound) {
  fixture f;
  cxm::outbox box = f.open();
  ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(box.append(record_kind::response, response_json(i)).ok());
  auto b = box.next_batch(4096);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(box.ack(b->id).ok());
  ASSERT_TRUE(box.append(record_kind::response, response_json(3)).ok());
  EXPECT_EQ(box.ack(b->id).code(), errc::not_found);
  EXPECT_EQ(box.counts().pending_records, 1u);  // the second ack changed nothing
  EXPECT_EQ(box.counts().in_flight_records, 0u);
}
