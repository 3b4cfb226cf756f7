// SPDX-License-Identifier: MIT
// From a split batch to rows to store and a verdict per record. Each response is validated and
// scored by the core with the definition it names (the same code the widget ran); each event by
// the core's journey event reader; each aggregates snapshot by the core's snapshot decoder. The
// records that pass become rows; after the store's insert, `settle` turns its outcomes into
// verdicts (accepted or duplicate), and `verdicts_json` is the reply the client settles by.
#ifndef CXM_SERVER_INGEST_INGEST_HPP
#define CXM_SERVER_INGEST_INGEST_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <cxm/core/problem.hpp>

#include "server/ingest/batch.hpp"
#include "server/ingest/survey_registry.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

enum class verdict : std::uint8_t {
  pending = 0,    ///< valid; waiting for the store
  accepted = 1,   ///< stored by this request
  duplicate = 2,  ///< its id was stored before: nothing changed
  rejected = 3,   ///< invalid: not stored (the problem says where and why)
};
const char* name(verdict v) noexcept;

struct record_verdict {
  const char* array = "responses";  ///< "responses", "events" or "aggregates"
  std::size_t index = 0;            ///< in that array
  std::string id;                   ///< the record's id (empty when it had none)
  verdict outcome = verdict::pending;
  problem why;                      ///< rejected only
};

struct prepared_batch {
  std::vector<response_row> rows;
  std::vector<event_row> events;
  std::vector<aggregate_row> aggregates;
  std::vector<record_verdict> verdicts;  ///< every record: responses, then events, then aggregates
  std::vector<std::size_t> slots;        ///< verdicts index of rows, then events, then aggregates
  std::uint64_t score_mismatches = 0;    ///< responses whose local_score differed from the core's
};

/// Validates and scores every record of `b` received at `now_ms`.
prepared_batch prepare(const batch& b, const survey_registry& surveys, std::int64_t now_ms);

/// Records the store's outcomes (one per row, event and aggregate, in order).
void settle(prepared_batch& p, const std::vector<insert_outcome>& outcomes);

/// The reply: {"format":"cxm.verdicts","version":1,"batch":...,"accepted":n,"duplicate":n,
/// "rejected":n,"records":[{"array":"responses","index":0,"id":"...","verdict":"accepted"},
/// {...,"verdict":"rejected","path":"answers.nps","code":"out_of_range","reason":"..."}]}
/// (docs/server.md).
std::string verdicts_json(const batch& b, const prepared_batch& p);

}  // namespace cxm::server

#endif  // CXM_SERVER_INGEST_INGEST_HPP
