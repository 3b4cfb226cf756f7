// SPDX-License-Identifier: MIT
// The Java API of cxm in a JVM: statuses, surveys in Hebrew with emoji, a recorder fed by four
// threads, and the outbox (OutboxChecks). Exits 1 with the failed check's message.
package dev.cxm.test;

import dev.cxm.Cxm;
import dev.cxm.CxmException;
import dev.cxm.Recorder;
import dev.cxm.Status;
import dev.cxm.Survey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Usage: CxmTest WORK_DIR (where the outbox directories are made, then deleted). */
public final class CxmTest {
  private static final AtomicInteger checks = new AtomicInteger();

  private CxmTest() {}

  public static void main(String[] args) {
    try {
      Path work = Paths.get(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
      Files.createDirectories(work);
      statusesAndVersion();
      survey();
      recorder();
      OutboxChecks.run(work);
    } catch (Throwable t) {
      System.err.println("cxm Java test FAILED: " + t);
      t.printStackTrace();
      System.exit(1);
    }
    System.out.println("cxm Java test: " + checks.get() + " checks passed");
  }

  // ---- checks ----------------------------------------------------------------------------------

  static void check(boolean ok, String what) {
    checks.incrementAndGet();
    if (!ok) throw new AssertionError(what);
  }

  static void equal(Object expected, Object actual, String what) {
    checks.incrementAndGet();
    if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new AssertionError(what + ": expected <" + expected + "> but got <" + actual + ">");
    }
  }

  interface Call {
    void run() throws Exception;
  }

  /** Runs {@code call}, which must throw {@code type}; returns what it threw. */
  static <T extends Throwable> T expectThrows(Class<T> type, Call call, String what) {
    checks.incrementAndGet();
    try {
      call.run();
    } catch (Throwable t) {
      if (type.isInstance(t)) return type.cast(t);
      throw new AssertionError(what + ": expected " + type.getSimpleName() + " but got " + t, t);
    }
    throw new AssertionError(what + ": expected " + type.getSimpleName() + ", nothing was thrown");
  }

  /** Expects a CxmException of {@code status} with a detail; returns it. */
  static CxmException expectCxm(Status status, Call call, String what) {
    CxmException e = expectThrows(CxmException.class, call, what);
    equal(status, e.status(), what + ": status");
    equal(status.code(), e.code(), what + ": code");
    equal(status.statusName(), e.statusName(), what + ": status name");
    check(!e.detail().isEmpty(), what + ": the exception carries cxm's detail");
    check(e.getMessage().startsWith(e.statusName() + ": "), what + ": message " + e.getMessage());
    return e;
  }

  // ---- statuses and version --------------------------------------------------------------------

  private static void statusesAndVersion() {
    // The Java enum mirrors cxm_status: every constant's name is the library's, and the first
    // number past the enum is unknown to the library (a status added to cxm.h without the
    // enum fails here).
    for (Status s : Status.values()) {
      equal(s.statusName(), Cxm.statusName(s.code()), "status " + s.code() + " name");
      check(!Cxm.statusMessage(s.code()).isEmpty(), "status " + s.code() + " has a message");
      equal(s, Status.of(s.code()), "Status.of(" + s.code() + ")");
    }
    equal("unknown", Cxm.statusName(Status.values().length), "the status after the last");
    equal(null, Status.of(Status.values().length), "Status.of of an unknown number");
    int[] v = Cxm.versionNumbers();
    equal(v[0] + "." + v[1] + "." + v[2], Cxm.version(), "version string and numbers");
  }

  // ---- surveys ---------------------------------------------------------------------------------

  // A survey in Hebrew; the prompt of "why" ends with an emoji (outside the BMP).
  static final String SURVEY =
      "{\"format\":\"cxm.survey\",\"version\":1,\"id\":\"java-he\",\"survey_version\":1,"
          + "\"default_locale\":\"he\",\"locales\":{\"he\":{\"dir\":\"rtl\",\"ui\":{\"submit\":\"שליחה\"}}},"
          + "\"questions\":["
          + "{\"id\":\"nps\",\"type\":\"nps\",\"required\":true,\"text\":{\"he\":{\"prompt\":\"עד כמה סביר"
          + " שתמליצו עלינו?\",\"min_label\":\"בכלל לא סביר\",\"max_label\":\"סביר מאוד\"}}},"
          + "{\"id\":\"why\",\"type\":\"text\",\"show_if\":{\"question\":\"nps\",\"category\":[\"detractor\"]},"
          + "\"text\":{\"he\":{\"prompt\":\"מה השתבש? 🤔\"}}},"
          + "{\"id\":\"comment\",\"type\":\"text\",\"text\":{\"he\":{\"prompt\":\"הערות\"}}}]}";

  // Hebrew with a right-to-left mark, emoji (a skin-tone sequence), and U+1D11E: surrogate
  // pairs in Java, 4-byte sequences in UTF-8; modified UTF-8 would mangle every one of them.
  static final String WHY = "השירות היה איטי 🐢 \u200fממש 😤";
  static final String COMMENT = "תודה 👍🏽 על הכול 𝄞";

  private static void survey() {
    check(WHY.length() != WHY.codePointCount(0, WHY.length()), "the answer has supplementary characters");
    try (Survey s = Survey.parse(SURVEY)) {
      equal(
          Arrays.asList("nps", "why", "comment"),
          Json.parse(s.visibleQuestions("{\"nps\":3}")),
          "visible questions of a detractor");
      equal(
          Arrays.asList("nps", "comment"),
          Json.parse(s.visibleQuestions("{\"nps\":10}")),
          "visible questions of a promoter");

      String answers = "{\"nps\":3,\"why\":\"" + WHY + "\",\"comment\":\"" + COMMENT + "\"}";
      Object scored = Json.parse(s.score(answers));
      equal("cxm.scored_response", Json.at(scored, "format"), "scored format");
      equal(Boolean.TRUE, Json.at(scored, "ok"), "scored ok");
      Map<String, Object> why = question(scored, "why");
      equal("answered", why.get("state"), "why is answered");
      equal(WHY, why.get("text"), "the Hebrew and emoji answer round-trips exactly");
      equal(COMMENT, question(scored, "comment").get("text"), "the second text answer round-trips exactly");
      equal("detractor", question(scored, "nps").get("category"), "NPS 3 is a detractor");

      // A lone surrogate has no UTF-8 form: String.getBytes sends '?' in its place.
      Object lone = Json.parse(s.score("{\"nps\":9,\"comment\":\"a\ud800b\"}"));
      equal("a?b", question(lone, "comment").get("text"), "a lone surrogate arrives as '?'");

      // A bad answer is in the result, not thrown.
      Object bad = Json.parse(s.score("{\"nps\":11}"));
      equal(Boolean.FALSE, Json.at(bad, "ok"), "NPS 11 is not ok");
      check(!((List<?>) Json.at(bad, "problems")).isEmpty(), "NPS 11 is reported as a problem");

      // An unreadable answers document is thrown, its detail prefixed "answers: ".
      CxmException e = expectCxm(Status.WRONG_TYPE, () -> s.visibleQuestions("[1]"), "answers that are an array");
      check(e.detail().startsWith("answers: "), "the detail names the answers: " + e.detail());
      expectCxm(Status.PARSE_ERROR, () -> s.score("{\"nps\":"), "truncated answers");
      s.close();
      s.close(); // idempotent
      expectThrows(IllegalStateException.class, () -> s.score("{}"), "a closed survey");
    }
    expectCxm(Status.PARSE_ERROR, () -> Survey.parse("{"), "a truncated definition");
    // The detail quotes the definition's Hebrew back, decoded from UTF-8 exactly.
    CxmException e =
        expectThrows(
            CxmException.class,
            () -> Survey.parse(SURVEY.replace("\"question\":\"nps\"", "\"question\":\"שאלה🙂\"")),
            "show_if naming a missing question");
    check(e.detail().contains("שאלה🙂"), "the detail quotes the Hebrew id: " + e.detail());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> question(Object scored, String id) {
    for (Object q : (List<Object>) Json.at(scored, "questions")) {
      if (id.equals(((Map<String, Object>) q).get("id"))) return (Map<String, Object>) q;
    }
    throw new AssertionError("no question " + id + " in the scored response");
  }

  // ---- recorder --------------------------------------------------------------------------------

  static final int THREADS = 4;
  static final int PER_THREAD = 20000;
  static final String EMOJI_METRIC = "שלב.🚀";

  private static void recorder() throws Exception {
    final String[] names = {"onboarding.nps", "kyc.ces", "kyc.duration_ms", EMOJI_METRIC};
    final int[] kinds = {Recorder.NPS, Recorder.SCALE, Recorder.DURATION, Recorder.NPS};
    final int[] scales = {0, Recorder.CES7, 0, 0};
    try (final Recorder r = Recorder.create(names, kinds, scales)) {
      equal(1, r.find("kyc.ces"), "find");
      equal(3, r.find(EMOJI_METRIC), "find a name with Hebrew and an emoji");
      equal(-1, r.find("missing"), "find a missing metric");

      // Four threads record at once, started together; a fifth takes snapshots meanwhile.
      final CountDownLatch start = new CountDownLatch(1);
      final List<Throwable> failures = new ArrayList<Throwable>();
      List<Thread> threads = new ArrayList<Thread>();
      for (int t = 0; t < THREADS; ++t) {
        final int self = t;
        threads.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < PER_THREAD; ++i) {
                      equal(Status.OK, r.recordInt(0, i % 11), "recordInt");
                      equal(Status.OK, r.record(1, 1 + i % 7), "record");
                      equal(Status.OK, r.recordDuration(2, i % 1000 + 0.5), "recordDuration");
                      if (i % 100 == 0) {
                        equal(Status.OUT_OF_RANGE, r.recordInt(0, 11), "NPS 11 is rejected and counted");
                        equal(Status.NOT_INTEGER, r.record(1, 2.5), "CES 2.5 is rejected and counted");
                      }
                    }
                    equal(Status.OK, r.recordInt(3, self), "record into the emoji metric");
                  } catch (Throwable e) {
                    synchronized (failures) {
                      failures.add(e);
                    }
                  }
                }));
      }
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < 50; ++i) Json.parse(r.snapshotJson());
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              }));
      for (Thread t : threads) t.start();
      start.countDown();
      for (Thread t : threads) t.join();
      if (!failures.isEmpty()) throw new AssertionError("a recording thread failed", failures.get(0));

      Object snap = Json.parse(r.snapshotJson());
      equal("cxm.recorder_snapshot", Json.at(snap, "format"), "snapshot format");
      List<Object> nps = new ArrayList<Object>();
      for (int a = 0; a <= 10; ++a) nps.add((long) THREADS * countOf(a, 11));
      equal(nps, Json.at(snap, "metrics", 0, "value", "counts"), "NPS counts from four threads");
      long rejected = (long) THREADS * (PER_THREAD / 100);
      equal(rejected, Json.at(snap, "metrics", 0, "value", "rejected", "out_of_range"), "NPS rejections");
      List<Object> ces = new ArrayList<Object>();
      for (int a = 0; a < 7; ++a) ces.add((long) THREADS * countOf(a, 7));
      equal(ces, Json.at(snap, "metrics", 1, "value", "counts"), "CES counts from four threads");
      equal(rejected, Json.at(snap, "metrics", 1, "value", "rejected", "not_integer"), "CES rejections");
      Object durations = Json.at(snap, "metrics", 2, "value");
      equal((long) THREADS * PER_THREAD, Json.at(durations, "count"), "durations counted");
      // Every duration is a multiple of 0.5 below 2^24, so the sum is exact in any order.
      double sum = 0;
      for (int i = 0; i < PER_THREAD; ++i) sum += i % 1000 + 0.5;
      equal(THREADS * sum, ((Number) Json.at(durations, "sum")).doubleValue(), "durations summed");
      equal(0.5, ((Number) Json.at(durations, "min")).doubleValue(), "shortest duration");
      equal(999.5, ((Number) Json.at(durations, "max")).doubleValue(), "longest duration");
      equal(EMOJI_METRIC, Json.at(snap, "metrics", 3, "name"), "the emoji metric's name round-trips");
      equal(
          Arrays.asList(1L, 1L, 1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
          Json.at(snap, "metrics", 3, "value", "counts"),
          "one answer per thread in the emoji metric");

      // Misuse is thrown with cxm's detail; rejected answers are not.
      expectCxm(Status.INVALID_ARGUMENT, () -> r.recordInt(2, 5), "an answer into a duration metric");
      expectCxm(Status.INVALID_ARGUMENT, () -> r.recordDuration(0, 5), "a duration into an NPS metric");
      expectCxm(Status.INVALID_ARGUMENT, () -> r.recordInt(4, 5), "an index past the metrics");
      expectCxm(Status.INVALID_ARGUMENT, () -> r.recordInt(-1, 5), "a negative index");
      equal(Status.NOT_FINITE, r.record(0, Double.NaN), "NaN is rejected and counted");
      r.close();
      r.close(); // idempotent
      expectThrows(IllegalStateException.class, () -> r.recordInt(0, 1), "recording into a closed recorder");
      expectThrows(IllegalStateException.class, r::snapshotJson, "a snapshot of a closed recorder");
    }
    CxmException dup =
        expectCxm(
            Status.INVALID_ARGUMENT,
            () -> Recorder.create(new String[] {"a", "a"}, new int[] {0, 0}, new int[] {0, 0}),
            "duplicate metric names");
    check(dup.detail().contains("a"), "the detail names the metric: " + dup.detail());
    expectCxm(
        Status.INVALID_ARGUMENT,
        () -> Recorder.create(new String[] {"x"}, new int[] {7}, new int[] {0}),
        "an unknown metric kind");
    expectThrows(
        IllegalArgumentException.class,
        () -> Recorder.create(new String[] {"x"}, new int[] {0, 0}, new int[] {0}),
        "arrays of different lengths");
  }

  /** How many i in [0, PER_THREAD) have i % modulus == value. */
  private static long countOf(int value, int modulus) {
    long n = 0;
    for (int i = 0; i < PER_THREAD; ++i) {
      if (i % modulus == value) ++n;
    }
    return n;
  }
}
