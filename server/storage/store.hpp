// SPDX-License-Identifier: MIT
// The collector's storage: one interface, two backends (SQLite on one machine, PostgreSQL for
// several collector instances sharing a database). Idempotency lives in the database: the
// response id and the aggregate's (source, id) are unique keys, so a record delivered twice, by
// two instances at once, or after a crash is stored once.
#ifndef CXM_SERVER_STORAGE_STORE_HPP
#define CXM_SERVER_STORAGE_STORE_HPP

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cxm/core/status.hpp>

namespace cxm::server {

/// One row of response_cells that a stored response adds to (schema.hpp, docs/storage.md).
struct cell_key {
  std::string dimension;     ///< "" for the totals, else a breakdown dimension
  std::int64_t start_ms = 0; ///< the cell's start: answered_ms rounded down to the cell size
  std::string group;         ///< totals: "" (with a timestamp) or "u"; else the dimension's value
  std::string question;      ///< "" for the response counts
  int slot = 0;              ///< which count besides n it adds to (schema::cell_counts)
};

/// One accepted survey response: the fields reports filter and group by, and the record itself.
struct response_row {
  std::string id;                   ///< the response id, unique across the store (1-128 bytes)
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string source;               ///< "web" for the widget, the outbox's source id for an app
  std::int64_t received_ms = 0;     ///< when the collector accepted it (ms since 1970, UTC)
  std::int64_t answered_ms = 0;     ///< the record's timestamp, or received_ms when it had none
  bool score_mismatch = false;      ///< the score the record carried differs from the core's
  std::string record;               ///< the record's JSON as received: one object, no newline
  /// Added to the cells (count 1 each) in the same transaction, only when the row is new.
  std::vector<cell_key> cells;
};

/// One journey event sent by an app's outbox beside its responses (stored, not yet reported).
struct event_row {
  std::string id;                   ///< the event id, unique across the store
  std::string source;
  std::int64_t received_ms = 0;
  std::string record;               ///< the event's JSON as received
};

/// One aggregates snapshot of an app (`cxm.recorder_snapshot`), keyed by (source, id): the id is
/// the outbox record id of the snapshot, so a re-sent snapshot changes nothing.
struct aggregate_row {
  std::string source;
  std::string id;
  std::int64_t captured_ms = 0;     ///< when the app took the snapshot
  std::int64_t received_ms = 0;
  std::string snapshot;             ///< the cxm.recorder_snapshot JSON
};

/// What an insert did with each row, in the order given.
enum class insert_outcome : std::uint8_t {
  stored = 0,     ///< new: stored by this call
  duplicate = 1,  ///< its key was stored before (by an earlier call, another instance, or earlier in the same call)
};

/// Which responses a scan visits: all of them when every field is empty.
struct response_query {
  std::string survey_id;               ///< only this survey
  std::optional<std::int64_t> from_ms; ///< answered_ms >= from_ms
  std::optional<std::int64_t> to_ms;   ///< answered_ms < to_ms
};

/// The cells of one survey, dimension and size whose start lies in [from_ms, to_ms).
struct cell_range {
  std::string survey_id;
  std::string dimension;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::int64_t size_ms = 0;  ///< one of schema::cell_sizes_ms
};

/// Counts to add to one row of response_cells: the cells of several responses, summed.
struct cell_delta {
  std::string survey_id;
  std::string dimension;
  std::int64_t size_ms = 0;
  std::int64_t start_ms = 0;
  std::string group;
  std::string question;
  std::int64_t n = 0;
  std::array<std::int64_t, 19> counts{};
  std::int64_t first_ms = 0;
  std::string first_id;
  std::int64_t last_ms = 0;
};

/// Sums the cells of the rows whose outcome is `stored` (`outcomes` parallel to `rows`) at
/// every cell size, one delta per row of response_cells, in key order: each commit then
/// upserts each row once (live traffic puts a whole batch in a few cells), and two writers
/// lock rows in the same order.
std::vector<cell_delta> sum_new_cells(const std::vector<response_row>& rows, const std::vector<insert_outcome>& outcomes);

/// A group's and question's cells summed over a cell_range.
struct cell_sum {
  std::string group;
  std::string question;
  std::int64_t n = 0;
  std::array<std::int64_t, 19> counts{};  ///< p, v0..v10, e0..e6 (schema::cell_count_names)
  std::int64_t first_ms = 0;              ///< earliest answered_ms
  std::int64_t last_ms = 0;               ///< latest answered_ms
};

/// Makes the cells of one stored response (when the cells are rebuilt).
using cell_maker = std::function<void(const response_row&, std::vector<cell_key>&)>;

struct store_counts {
  std::uint64_t responses = 0;
  std::uint64_t events = 0;
  std::uint64_t aggregates = 0;
  std::uint64_t score_mismatches = 0;
};

/// The storage of one collector instance.
///
/// Thread safety: every member may be called from any thread. Inserts are serialized inside
/// the store (one writer); scans and counts run beside them on their own connections and see
/// only committed transactions.
///
/// Durability: an insert returns only after its transaction is committed and synced as the
/// store was opened to sync (store_options::sync); on error nothing of the call is stored.
class store {
 public:
  virtual ~store() = default;

  /// Stores `rows`, `events` and `aggregates` in one transaction. On success `outcomes` has
  /// one entry per response row, then one per event row, then one per aggregate row.
  /// Errors: io_error (the database failed; the detail names it), retry_later (the
  /// database is busy or unreachable for now). Nothing is stored on error.
  virtual status insert(const std::vector<response_row>& rows, const std::vector<event_row>& events,
                        const std::vector<aggregate_row>& aggregates, std::vector<insert_outcome>& outcomes,
                        std::string& detail) = 0;

  /// Calls `fn` for each stored response matching `q`, ordered by (answered_ms, id), until
  /// `fn` returns false.
  virtual status scan_responses(const response_query& q, const std::function<bool(const response_row&)>& fn,
                                std::string& detail) = 0;

  /// Calls `fn` for each stored aggregate snapshot captured in [from_ms, to_ms) (either bound
  /// may be absent), ordered by (captured_ms, source, id), until `fn` returns false.
  virtual status scan_aggregates(std::optional<std::int64_t> from_ms, std::optional<std::int64_t> to_ms,
                                 const std::function<bool(const aggregate_row&)>& fn, std::string& detail) = 0;

  virtual status counts(store_counts& out, std::string& detail) = 0;

  /// Calls `fn` with the sums of the range's cells by (group, question).
  virtual status sum_cells(const cell_range& r, const std::function<void(const cell_sum&)>& fn,
                           std::string& detail) = 0;
  /// Calls `fn` with each group's first response in the range: its answered_ms and id.
  virtual status first_in_cells(const cell_range& r,
                                const std::function<void(const std::string&, std::int64_t, const std::string&)>& fn,
                                std::string& detail) = 0;
  /// The first and last cell start in the range (empty when it holds no cell).
  virtual status cell_span(const cell_range& r, std::optional<std::int64_t>& first, std::optional<std::int64_t>& last,
                           std::string& detail) = 0;
  /// When the database asks for it (schema version 2 found responses without cells), replaces
  /// every cell by those `make` gives for each stored response, in one transaction, and sets
  /// `rebuilt`. Another instance doing it at the same time waits, then finds nothing to do.
  virtual status rebuild_cells_if_needed(const cell_maker& make, bool& rebuilt, std::string& detail) = 0;

  /// Where the data lives, for logs: "sqlite:/var/lib/cxm/cxm.db" or the PostgreSQL URL
  /// without its password.
  virtual std::string describe() const = 0;
};

/// How far a committed insert is synced.
enum class sync_mode : std::uint8_t {
  full = 0,    ///< survives power loss (SQLite synchronous=FULL; PostgreSQL synchronous_commit on)
  normal = 1,  ///< survives the process being killed, not a power loss (SQLite WAL synchronous=NORMAL)
};

struct store_options {
  /// "sqlite:<path>" (or a bare path ending in .db / .sqlite), or "postgresql://..." /
  /// "postgres://..." (a libpq connection URL).
  std::string url;
  sync_mode sync = sync_mode::full;
};

/// Opens (creating and migrating when needed) the store at `options.url`. Errors:
/// invalid_argument (a URL of no known kind), io_error (cannot open or migrate: the detail
/// says why), unsupported_version (the database was written by a newer cxm).
result<std::unique_ptr<store>> open_store(const store_options& options);

}  // namespace cxm::server

#endif  // CXM_SERVER_STORAGE_STORE_HPP
