/* SPDX-License-Identifier: MIT */
/* cxm from C (C99, cxm.h only, linked against libcxm.so): scores a few NPS answers, records
   how long a task took, and prints a small report. Every call's status is checked; a failure
   prints cxm's detail and exits with status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cxm/cxm.h>

/* Prints what failed and why, and returns nonzero, when `s` is not CXM_OK. */
static int failed(cxm_status s, const char* what) {
  if (s == CXM_OK) return 0;
  fprintf(stderr, "%s: %s (%s): %s\n", what, cxm_status_name(s), cxm_status_message(s), cxm_last_error_detail());
  return 1;
}

int main(void) {
  /* Answers to "How likely are you to recommend us?" (0-10); 11 is not an answer. */
  static const double answers[] = {10, 9, 9, 8, 7, 6, 3, 10, 10, 0, 11};
  /* How long each respondent took to open an account, in ms. */
  static const double durations_ms[] = {1200, 1500, 900, 3000, 2500, 1800, 60000, 2100};
  cxm_nps_tally* tally = NULL;
  cxm_duration_sketch* sketch = NULL;
  cxm_nps_counts counts;
  cxm_interval ci;
  cxm_sketch_stats stats;
  double score = 0, p50 = 0, p90 = 0;
  char* json = NULL;
  size_t json_len = 0, i;
  int rc = 1;

  printf("cxm %s\n", cxm_version());
  if (failed(cxm_nps_tally_create(&tally), "cxm_nps_tally_create")) goto done;
  for (i = 0; i < sizeof answers / sizeof answers[0]; ++i) {
    const cxm_status s = cxm_nps_tally_add(tally, answers[i]);
    if (s != CXM_OK) printf("answer %g rejected: %s\n", answers[i], cxm_status_name(s));
  }
  if (failed(cxm_nps_tally_counts(tally, &counts), "cxm_nps_tally_counts")) goto done;
  if (failed(cxm_nps_tally_score(tally, &score), "cxm_nps_tally_score")) goto done;
  if (failed(cxm_nps_tally_interval(tally, 0.95, CXM_INTERVAL_ADJUSTED_WALD, &ci), "cxm_nps_tally_interval")) goto done;
  printf("NPS %+.1f from %llu answers (%llu promoters, %llu passives, %llu detractors, %llu rejected)\n", score,
         (unsigned long long)counts.total, (unsigned long long)counts.promoters, (unsigned long long)counts.passives,
         (unsigned long long)counts.detractors, (unsigned long long)counts.rejected);
  printf("95%% adjusted Wald interval [%+.1f, %+.1f]%s\n", ci.lower, ci.upper,
         ci.small_sample ? " (small sample)" : "");

  if (failed(cxm_duration_sketch_create(NULL, &sketch), "cxm_duration_sketch_create")) goto done;
  for (i = 0; i < sizeof durations_ms / sizeof durations_ms[0]; ++i)
    if (failed(cxm_duration_sketch_record(sketch, durations_ms[i]), "cxm_duration_sketch_record")) goto done;
  if (failed(cxm_duration_sketch_stats(sketch, &stats), "cxm_duration_sketch_stats")) goto done;
  if (failed(cxm_duration_sketch_quantile(sketch, 0.5, &p50), "cxm_duration_sketch_quantile")) goto done;
  if (failed(cxm_duration_sketch_quantile(sketch, 0.9, &p90), "cxm_duration_sketch_quantile")) goto done;
  printf("durations: n=%llu sum=%.0f ms min=%.0f ms max=%.0f ms p50~%.0f ms p90~%.0f ms (within %.2f%%)\n",
         (unsigned long long)stats.count, stats.sum, stats.min, stats.max, p50, p90, 100 * stats.relative_error);

  /* The tally as JSON, ready to send to a server that merges tallies. */
  if (failed(cxm_nps_tally_to_json(tally, &json, &json_len), "cxm_nps_tally_to_json")) goto done;
  printf("tally JSON (%lu bytes): %s\n", (unsigned long)json_len, json);

  /* Bad input is a status with a detail, never a crash: here a truncated document. */
  {
    static const char truncated[] = "{\"format\":\"cxm.nps_tally\",\"version\":1,\"counts\":[1,0";
    cxm_nps_tally* copy = NULL;
    const cxm_status s = cxm_nps_tally_from_json(truncated, sizeof truncated - 1, &copy);
    printf("reading a truncated tally: %s: %s\n", cxm_status_name(s), cxm_last_error_detail());
    cxm_nps_tally_destroy(copy); /* NULL after a failure; destroying NULL is fine */
  }
  rc = 0;

done:
  cxm_string_free(json);
  cxm_duration_sketch_destroy(sketch);
  cxm_nps_tally_destroy(tally);
  return rc;
}
