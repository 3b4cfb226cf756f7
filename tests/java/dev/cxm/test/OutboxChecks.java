// SPDX-License-Identifier: MIT
// The outbox through the Java API: consent, appends from threads, the directory lock, records
// surviving close and reopen, delivery with a 503 and its backoff, purge, and errors.
package dev.cxm.test;

import static dev.cxm.test.CxmTest.check;
import static dev.cxm.test.CxmTest.equal;
import static dev.cxm.test.CxmTest.expectCxm;
import static dev.cxm.test.CxmTest.expectThrows;

import dev.cxm.Outbox;
import dev.cxm.Recorder;
import dev.cxm.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

final class OutboxChecks {
  private static final String SOURCE = "java-test-install";
  private static final int APPENDERS = 4;
  private static final int PER_APPENDER = 25;

  private OutboxChecks() {}

  static void run(Path work) throws Exception {
    Path base = Files.createTempDirectory(work, "outbox");
    try {
      queueAndDeliver(base.resolve("box").toString());
      deliverWhileAppending(base.resolve("concurrent").toString());
      errors(base);
    } finally {
      deleteTree(base);
    }
  }

  // ---- one outbox's life: queue, lock, close, reopen, deliver ---------------------------------

  private static void queueAndDeliver(String dir) throws Exception {
    Outbox.Options defaults = new Outbox.Options();
    equal(10000L, defaults.maxRecords, "default max records (from cxm)");
    equal(1000L, defaults.retryBaseMs, "default retry base (from cxm)");
    check(defaults.groupCommit && !defaults.aggregatesOnly, "default flags (from cxm)");

    final Set<String> ids = Collections.synchronizedSet(new HashSet<String>());
    String aggregatesId;
    Outbox.Batch inFlight;
    try (final Outbox box = Outbox.open(dir, SOURCE, defaults)) {
      equal(Outbox.Consent.UNKNOWN, box.consent(), "consent before asking");
      equal(null, box.nextBatch(64 * 1024), "no batch without consent");
      equal(Status.NOT_PERMITTED, box.lastNextBatchStatus(), "why: consent");

      appendFromThreads(box, ids, 0);
      equal(APPENDERS * PER_APPENDER, ids.size(), "every append has its own id");
      for (String id : ids) equal(36, id.length(), "a record id is a UUID");
      equal((long) APPENDERS * PER_APPENDER, box.counts().pendingRecords, "records queued");

      try (Recorder r = Recorder.create(new String[] {"nps"}, new int[] {Recorder.NPS}, new int[] {0})) {
        for (int a = 0; a <= 10; ++a) r.recordInt(0, a);
        aggregatesId = box.appendAggregates(r);
        check(aggregatesId != null && aggregatesId.length() == 36, "an aggregates record id");
        equal(null, box.appendAggregates(r), "nothing recorded since the drain: no record");
      }
      final long queued = APPENDERS * PER_APPENDER + 1;
      equal(queued, box.counts().pendingRecords, "records and aggregates queued");

      // One open outbox per directory, in this process too.
      expectCxm(Status.LOCKED, () -> Outbox.open(dir, SOURCE, null), "a second open of the directory");

      box.setConsent(Outbox.Consent.GIVEN);
      equal(Outbox.Consent.GIVEN, box.consent(), "consent given");
      inFlight = box.nextBatch(4096);
      check(inFlight != null && inFlight.records > 0, "a batch once consent is given");
      equal(inFlight.records, box.counts().inFlightRecords, "the batch's records are in flight");
      box.close();
      box.close(); // idempotent
      expectThrows(IllegalStateException.class, box::counts, "a closed outbox");
    }

    // Records, consent and the batch left in flight survive close and reopen.
    try (Outbox box = Outbox.open(dir, SOURCE, null)) {
      Outbox.Counts c = box.counts();
      equal((long) APPENDERS * PER_APPENDER + 1, c.pendingRecords, "records kept across reopen");
      equal(0L, c.inFlightRecords, "nothing in flight after reopen");
      equal(Outbox.Consent.GIVEN, box.consent(), "consent kept across reopen");
      expectCxm(Status.NOT_FOUND, () -> box.ack(inFlight.id), "the batch of the previous open");

      // The first attempt fails with 503 and a Retry-After of 1 s: nothing is offered until then.
      Outbox.Batch first = box.nextBatch(8192);
      check(first != null, "a batch to fail");
      box.fail(first.id, 503, 1000);
      equal(null, box.nextBatch(8192), "no batch while backing off");
      equal(Status.RETRY_LATER, box.lastNextBatchStatus(), "why: retry later");
      long next = box.counts().nextAttemptMs;
      check(next > System.currentTimeMillis(), "the next attempt is in the future");
      expectCxm(Status.NOT_FOUND, () -> box.ack(first.id), "a failed batch is settled");

      Set<String> delivered = new HashSet<String>();
      long records = 0;
      long deadline = System.currentTimeMillis() + 30000;
      while (true) {
        Outbox.Batch b = box.nextBatch(8192);
        if (b == null) {
          Status why = box.lastNextBatchStatus();
          if (why == Status.EMPTY) break;
          equal(Status.RETRY_LATER, why, "why no batch");
          check(System.currentTimeMillis() < deadline, "delivery finished within 30 s");
          Thread.sleep(50);
          continue;
        }
        check(
            b.payload.length <= 8192,
            "the payload fits max_bytes: " + b.payload.length + " bytes in " + b.records + " records");
        String payload = new String(b.payload, StandardCharsets.UTF_8);
        Set<String> strings = strings(Json.parse(payload));
        if (strings.contains(aggregatesId)) {
          equal("/v1/aggregates", b.endpoint, "the aggregates endpoint");
        } else {
          equal("/v1/responses", b.endpoint, "the responses endpoint");
          check(strings.contains(CxmTest.WHY), "the Hebrew answer arrives exactly in the payload");
        }
        delivered.addAll(strings);
        records += b.records;
        box.ack(b.id);
      }
      equal((long) APPENDERS * PER_APPENDER + 1, records, "every record delivered once");
      check(delivered.containsAll(ids), "every record id is in a payload");
      check(delivered.contains(aggregatesId), "the aggregates are in a payload");
      equal(0L, box.counts().pendingRecords, "nothing pending after delivery");

      // Purge deletes what is queued; revoked consent offers nothing.
      for (int i = 0; i < 3; ++i) box.append(Outbox.Kind.EVENT, event(i, i));
      equal(3L, box.counts().pendingRecords, "three more records");
      box.purge();
      equal(0L, box.counts().pendingRecords, "purged");
      equal(null, box.nextBatch(8192), "nothing after purge");
      equal(Status.EMPTY, box.lastNextBatchStatus(), "why: empty");
      box.setConsent(Outbox.Consent.REVOKED);
      box.append(Outbox.Kind.RESPONSE, response(0, 0));
      equal(null, box.nextBatch(8192), "nothing offered once consent is revoked");
      equal(Status.NOT_PERMITTED, box.lastNextBatchStatus(), "why: consent revoked");
    }
  }

  // ---- delivery on one thread while four append --------------------------------------------------

  private static void deliverWhileAppending(String dir) throws Exception {
    final Set<String> ids = Collections.synchronizedSet(new HashSet<String>());
    final Set<String> delivered = Collections.synchronizedSet(new HashSet<String>());
    try (final Outbox box = Outbox.open(dir, SOURCE, null)) {
      box.setConsent(Outbox.Consent.GIVEN);
      final AtomicBoolean appending = new AtomicBoolean(true);
      final List<Throwable> failures = Collections.synchronizedList(new ArrayList<Throwable>());
      Thread sender =
          new Thread(
              () -> {
                try {
                  while (true) {
                    boolean more = appending.get(); // read before nextBatch: EMPTY then is final
                    Outbox.Batch b = box.nextBatch(16 * 1024);
                    if (b == null) {
                      equal(Status.EMPTY, box.lastNextBatchStatus(), "the sender's reason");
                      if (!more) return;
                      Thread.sleep(1);
                      continue;
                    }
                    Set<String> strings = strings(Json.parse(new String(b.payload, StandardCharsets.UTF_8)));
                    synchronized (delivered) {
                      for (String s : strings) {
                        check(!delivered.contains(s) || !ids.contains(s), "a record delivered twice: " + s);
                      }
                      delivered.addAll(strings);
                    }
                    box.ack(b.id);
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              });
      sender.start();
      appendFromThreads(box, ids, 1000);
      appending.set(false);
      sender.join();
      if (!failures.isEmpty()) throw new AssertionError("the sending thread failed", failures.get(0));
      check(delivered.containsAll(ids), "every record appended while sending was delivered");
      equal(0L, box.counts().pendingRecords, "nothing left");
    }
  }

  // ---- errors ------------------------------------------------------------------------------------

  private static void errors(Path base) throws Exception {
    try (final Outbox box = Outbox.open(base.resolve("errors").toString(), SOURCE, null)) {
      expectCxm(Status.WRONG_TYPE, () -> box.append(Outbox.Kind.EVENT, "[1]"), "a record that is not an object");
      expectCxm(Status.PARSE_ERROR, () -> box.append(Outbox.Kind.EVENT, "{\"a\":"), "a truncated record");
      expectCxm(Status.NOT_FOUND, () -> box.ack("0190c3a0-0000-7000-8000-000000000000"), "ack of an unknown batch");
      expectCxm(Status.NOT_FOUND, () -> box.fail("no-such-batch", 500, 0), "fail of an unknown batch");
      expectThrows(IllegalArgumentException.class, () -> box.nextBatch(-1), "a negative max bytes");
      expectCxm(Status.INVALID_ARGUMENT, () -> box.nextBatch(100), "max bytes under 1024");
    }
    Outbox.Options o = new Outbox.Options();
    o.aggregatesOnly = true;
    try (final Outbox box = Outbox.open(base.resolve("aggregates-only").toString(), SOURCE, o)) {
      expectCxm(
          Status.NOT_PERMITTED,
          () -> box.append(Outbox.Kind.RESPONSE, response(0, 0)),
          "a response in aggregates-only mode");
    }
    expectCxm(
        Status.IO_ERROR,
        () -> Outbox.open(base.resolve("no-such-parent").resolve("box").toString(), SOURCE, null),
        "a directory whose parent is missing");
    expectCxm(Status.INVALID_ARGUMENT, () -> Outbox.open(base.resolve("x").toString(), "", null), "an empty source");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** APPENDERS threads append PER_APPENDER records each, alternating responses and events. */
  private static void appendFromThreads(final Outbox box, final Set<String> ids, final int first) throws Exception {
    final CountDownLatch start = new CountDownLatch(1);
    final List<Throwable> failures = Collections.synchronizedList(new ArrayList<Throwable>());
    List<Thread> threads = new ArrayList<Thread>();
    for (int t = 0; t < APPENDERS; ++t) {
      final int thread = first + t;
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < PER_APPENDER; ++i) {
                    boolean isResponse = i % 2 == 0;
                    String id =
                        box.append(
                            isResponse ? Outbox.Kind.RESPONSE : Outbox.Kind.EVENT,
                            isResponse ? response(thread, i) : event(thread, i));
                    check(ids.add(id), "a new id: " + id);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              }));
    }
    for (Thread t : threads) t.start();
    start.countDown();
    for (Thread t : threads) t.join();
    if (!failures.isEmpty()) throw new AssertionError("an appending thread failed", failures.get(0));
  }

  /** A survey response in Hebrew with emoji, without an id (the outbox gives it one). */
  static String response(int thread, int i) {
    return "{\"survey_id\":\"java-he\",\"respondent\":\"r-" + thread + "-" + i + "\",\"answers\":{\"nps\":"
        + (i % 11) + ",\"why\":\"" + CxmTest.WHY + "\"}}";
  }

  static String event(int thread, int i) {
    return "{\"journey_id\":\"j-" + thread + "\",\"step\":\"kyc\",\"type\":\"step_end\",\"seq\":" + i + "}";
  }

  /** Every string (keys and values) in a parsed JSON value. */
  static Set<String> strings(Object v) {
    Set<String> out = new HashSet<String>();
    collect(v, out);
    return out;
  }

  private static void collect(Object v, Set<String> out) {
    if (v instanceof String) {
      out.add((String) v);
    } else if (v instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.add((String) e.getKey());
        collect(e.getValue(), out);
      }
    } else if (v instanceof List) {
      for (Object x : (List<?>) v) collect(x, out);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<Path>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
