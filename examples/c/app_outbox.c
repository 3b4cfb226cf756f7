/* SPDX-License-Identifier: MIT */
/* An app's side of cxm (C99 with POSIX threads, cxm.h only): two threads record answers and
   durations into one recorder, the app queues a survey response and a journey event, the user
   gives consent, the recorder is drained into the outbox, and a delivery loop sends the batches
   with the app's own HTTP client (here a fake that answers 503 once, then 200). */
#define _XOPEN_SOURCE 700 /* mkdtemp, nanosleep, nftw */
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cxm/cxm.h>

/* Prints what failed and why, and returns nonzero, when `s` is not CXM_OK. */
static int failed(cxm_status s, const char* what) {
  if (s == CXM_OK) return 0;
  fprintf(stderr, "%s: %s: %s\n", what, cxm_status_name(s), cxm_last_error_detail());
  return 1;
}

/* One recording thread: 20 NPS answers (0-10) and 20 durations (800-1200 ms), starting at its
   own offset, so the two threads together record 0..39 % 11 and 8 times each duration. */
typedef struct worker {
  cxm_recorder* recorder;
  size_t nps, duration;
  int offset;
} worker;

static void* record(void* arg) {
  const worker* w = (const worker*)arg;
  int i;
  for (i = 0; i < 20; ++i) {
    cxm_recorder_record_int(w->recorder, w->nps, (w->offset + i) % 11); /* the recorder is shared */
    cxm_recorder_record_duration(w->recorder, w->duration, 800.0 + 100 * ((w->offset + i) % 5));
  }
  return NULL;
}

/* The app's HTTP client, faked: prints what it would POST; the first request gets 503 with no
   Retry-After header (0 ms), every other one 200. */
static int post(const char* endpoint, const char* body, size_t len, int64_t* retry_after_ms) {
  static int requests = 0;
  printf("POST https://collector.example%s (%lu bytes)\n%s\n", endpoint, (unsigned long)len, body);
  *retry_after_ms = 0;
  return ++requests == 1 ? 503 : 200;
}

static int remove_entry(const char* path, const struct stat* st, int type, struct FTW* ftw) {
  (void)st, (void)type, (void)ftw;
  return remove(path);
}

int main(void) {
  static const char response[] = "{\"survey_id\":\"checkout\",\"survey_version\":1,\"timestamp\":"
                                  "\"2026-10-01T07:45:32Z\",\"answers\":{\"nps\":9}}";
  static const char event[] = "{\"journey_id\":\"j-1\",\"type\":\"step_end\",\"step\":\"payment\","
                               "\"timestamp\":\"2026-10-01T07:45:30Z\"}";
  cxm_metric_spec metrics[2];
  cxm_recorder* recorder = NULL;
  cxm_outbox* box = NULL;
  cxm_outbox_options options;
  cxm_outbox_batch batch;
  worker workers[2];
  pthread_t threads[2];
  char dir[] = "/tmp/cxm-app-outbox-XXXXXX", path[64], id[CXM_OUTBOX_ID_SIZE];
  cxm_outbox_counts counts;
  int i, started = 0, made_dir = 0, batches = 0, retries = 0, rc = 1;
  cxm_status s;

  /* The metrics this app records, shared by all its threads. */
  memset(metrics, 0, sizeof metrics);
  metrics[0].name = "checkout.nps";
  metrics[0].name_len = strlen(metrics[0].name);
  metrics[0].kind = CXM_METRIC_NPS;
  metrics[1].name = "checkout.duration_ms";
  metrics[1].name_len = strlen(metrics[1].name);
  metrics[1].kind = CXM_METRIC_DURATION;
  if (failed(cxm_recorder_create(metrics, 2, &recorder), "cxm_recorder_create")) return 1;
  for (i = 0; i < 2; ++i) {
    workers[i].recorder = recorder;
    workers[i].nps = 0; /* metrics are numbered in the order given */
    workers[i].duration = 1;
    workers[i].offset = 20 * i;
    if (pthread_create(&threads[i], NULL, record, &workers[i]) == 0) ++started;
  }
  for (i = 0; i < started; ++i) pthread_join(threads[i], NULL);
  if (started < 2) goto done;

  /* The outbox: a directory of the app's own (here a temporary one). */
  if (mkdtemp(dir) == NULL) goto done;
  made_dir = 1;
  snprintf(path, sizeof path, "%s/outbox", dir);
  cxm_outbox_options_init(&options);
  options.retry_base_ms = 50; /* the default first retry comes after 0.5-1 s; a demo waits less */
  if (failed(cxm_outbox_open(path, strlen(path), "install-7f3a", 12, &options, &box), "cxm_outbox_open")) goto done;

  /* Records are kept on disk from the start; nothing leaves before the user agrees. */
  if (failed(cxm_outbox_append(box, CXM_RECORD_RESPONSE, response, sizeof response - 1, id), "append")) goto done;
  printf("queued response %s\n", id);
  if (failed(cxm_outbox_append(box, CXM_RECORD_EVENT, event, sizeof event - 1, id), "append")) goto done;
  printf("queued event %s\n", id);
  s = cxm_outbox_next_batch(box, 64 * 1024, &batch);
  printf("before consent: %s\n", cxm_status_name(s));
  if (failed(cxm_outbox_set_consent(box, CXM_CONSENT_GIVEN), "cxm_outbox_set_consent")) goto done;
  if (failed(cxm_outbox_append_aggregates(box, recorder, id), "cxm_outbox_append_aggregates")) goto done;
  printf("queued aggregates %s\n", id);

  /* The delivery loop, on a background thread in a real app, when the network is up. */
  for (;;) {
    int http;
    int64_t retry_after_ms;
    s = cxm_outbox_next_batch(box, 64 * 1024, &batch);
    if (s == CXM_RETRY_LATER) { /* backing off after the 503 */
      const struct timespec pause = {0, 10 * 1000 * 1000};
      nanosleep(&pause, NULL);
      continue;
    }
    if (s == CXM_EMPTY) break;
    if (failed(s, "cxm_outbox_next_batch")) goto done;
    http = post(batch.endpoint, batch.payload, batch.payload_len, &retry_after_ms);
    printf("HTTP %d for batch %s (%lu records)\n", http, batch.id, (unsigned long)batch.records);
    if (http >= 200 && http < 300) {
      s = cxm_outbox_ack(box, batch.id);
      ++batches;
    } else {
      s = cxm_outbox_fail(box, batch.id, http, retry_after_ms);
      ++retries;
    }
    cxm_outbox_batch_free(&batch);
    if (failed(s, "settling a batch")) goto done;
  }
  if (failed(cxm_outbox_counts_get(box, &counts), "cxm_outbox_counts_get")) goto done;
  printf("delivered %d batches after %d retry; %lu records pending\n", batches, retries,
         (unsigned long)counts.pending_records);
  rc = 0;

done:
  cxm_outbox_close(box);
  cxm_recorder_destroy(recorder);
  if (made_dir) nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS); /* the demo's directory */
  return rc;
}
