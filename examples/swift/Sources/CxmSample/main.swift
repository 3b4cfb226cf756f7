// SPDX-License-Identifier: MIT
// cxm from Swift through the C ABI: scores a survey answer, records from several threads,
// queues responses and aggregates in the outbox, and delivers them with URLSession.
import CCxm
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking  // URLSession outside Apple platforms
#endif

// ---- errors and strings ----------------------------------------------------------------------

/// A failed cxm call: its status and the detail cxm left for it.
struct CxmError: Error, CustomStringConvertible {
  let status: cxm_status
  let detail: String
  var description: String { "\(String(cString: cxm_status_name(status))): \(detail)" }
}

/// Throws unless `status` is CXM_OK. The detail is per thread and read at once.
func check(_ status: cxm_status) throws {
  if status != CXM_OK {
    throw CxmError(status: status, detail: String(cString: cxm_last_error_detail()))
  }
}

/// Runs a cxm call that returns a string, and takes the string (freed with cxm_string_free).
/// Swift's String(decoding:as:) reads UTF-8 as it is, so every character round-trips.
func takeString(
  _ call: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>) -> cxm_status
) throws -> String {
  var out: UnsafeMutablePointer<CChar>? = nil
  var length = 0
  try check(call(&out, &length))
  defer { cxm_string_free(out) }
  return String(decoding: UnsafeRawBufferPointer(start: out, count: length), as: UTF8.self)
}

// ---- a survey answer scored on the device ------------------------------------------------------

let definition = """
  {"format":"cxm.survey","version":1,"id":"after-onboarding","survey_version":1,
   "default_locale":"he","locales":{"he":{"dir":"rtl"}},
   "questions":[{"id":"nps","type":"nps","required":true,"text":{"he":{"prompt":"עד כמה סביר שתמליצו עלינו?"}}},
                {"id":"why","type":"text","text":{"he":{"prompt":"למה?"}}}]}
  """
var survey: OpaquePointer? = nil
try definition.withCString { try check(cxm_survey_parse($0, definition.utf8.count, &survey)) }
defer { cxm_survey_destroy(survey) }
let answers = #"{"nps":9,"why":"מהיר ונוח 👍"}"#
let scored = try answers.withCString { a in
  try takeString { cxm_survey_score(survey, a, answers.utf8.count, $0, $1) }
}
print("scored: \(scored)")

// ---- a recorder shared by every thread -------------------------------------------------------

var recorder: OpaquePointer? = nil
let names = ["onboarding.nps", "kyc.duration_ms"]
try names[0].withCString { nps in
  try names[1].withCString { duration in
    var specs = [
      cxm_metric_spec(name: nps, name_len: names[0].utf8.count, kind: CXM_METRIC_NPS,
                      scale: CXM_SCALE_CES7, sketch: nil),
      cxm_metric_spec(name: duration, name_len: names[1].utf8.count, kind: CXM_METRIC_DURATION,
                      scale: CXM_SCALE_CES7, sketch: nil),
    ]
    try check(cxm_recorder_create(&specs, specs.count, &recorder))
  }
}
defer { cxm_recorder_destroy(recorder) }
// The recorder is synchronized: record from any thread without a lock of the app's own.
DispatchQueue.concurrentPerform(iterations: 4) { worker in
  for i in 0..<1000 {
    _ = cxm_recorder_record_int(recorder, 0, Int32((i + worker) % 11))  // rejections are counted
    _ = cxm_recorder_record_duration(recorder, 1, Double(200 + i))
  }
}
print("snapshot: \(try takeString { cxm_recorder_snapshot_json(recorder, $0, $1) })")

// ---- the outbox, in Application Support, out of backups ----------------------------------------

var support = try FileManager.default.url(
  for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
var values = URLResourceValues()
values.isExcludedFromBackup = true
try? support.setResourceValues(values)
let directory = support.appendingPathComponent("cxm-outbox").path
let source = "install-7f3a"  // a pseudonymous id of this install, kept by the app
var options = cxm_outbox_options()
cxm_outbox_options_init(&options)
var outbox: OpaquePointer? = nil
try directory.withCString { d in
  try source.withCString { s in
    try check(cxm_outbox_open(d, directory.utf8.count, s, source.utf8.count, &options, &outbox))
  }
}
defer { cxm_outbox_close(outbox) }
try check(cxm_outbox_set_consent(outbox, CXM_CONSENT_GIVEN))  // after the user agreed

var id = [CChar](repeating: 0, count: 37)
let response = #"{"survey_id":"after-onboarding","answers":{"nps":9,"why":"מהיר ונוח 👍"}}"#
try response.withCString { try check(cxm_outbox_append(outbox, CXM_RECORD_RESPONSE, $0, response.utf8.count, &id)) }
let drained = cxm_outbox_append_aggregates(outbox, recorder, &id)
if drained != CXM_EMPTY { try check(drained) }  // CXM_EMPTY: nothing recorded since the last drain

// ---- delivery with the app's HTTP stack --------------------------------------------------------

/// Sends batches until none is due. Run it when the network is up, on any thread.
func deliver(outbox: OpaquePointer?, collector: URL) async throws {
  while true {
    var batch = cxm_outbox_batch()
    let status = cxm_outbox_next_batch(outbox, 256 * 1024, &batch)
    // Nothing to send, no consent, or backing off after a failure: try again later.
    if status == CXM_EMPTY || status == CXM_NOT_PERMITTED || status == CXM_RETRY_LATER { return }
    try check(status)
    let batchId = String(cString: batch.id)
    let endpoint = String(cString: batch.endpoint)
    let body = Data(bytes: batch.payload, count: batch.payload_len)
    cxm_outbox_batch_free(&batch)

    var request = URLRequest(url: collector.appendingPathComponent(endpoint))
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    do {
      let (_, reply) = try await URLSession.shared.upload(for: request, from: body)
      let http = reply as! HTTPURLResponse
      if (200..<300).contains(http.statusCode) {
        try check(cxm_outbox_ack(outbox, batchId))
      } else {
        let retryAfterMs = Int64(http.value(forHTTPHeaderField: "Retry-After") ?? "").map { $0 * 1000 } ?? 0
        try check(cxm_outbox_fail(outbox, batchId, Int32(http.statusCode), retryAfterMs))
      }
    } catch is URLError {
      try check(cxm_outbox_fail(outbox, batchId, 0, 0))  // 0: a network error or timeout
    }
  }
}

try await deliver(outbox: outbox, collector: URL(string: "https://collector.example.com")!)
var counts = cxm_outbox_counts()
try check(cxm_outbox_counts_get(outbox, &counts))
print("pending records: \(counts.pending_records)")
