/* SPDX-License-Identifier: MIT */
/* The natives of dev.cxm.Outbox over cxm_outbox_* (cxm/c/outbox.h). Translation only: the
   structs cross as long[] in field order, text as UTF-8 byte[]. */
#include <string.h>

#include "cxm_jni.h"
#include "dev_cxm_Outbox.h"

/* The fields of cxm_outbox_options and cxm_outbox_counts in declaration order, as in
   Outbox.Options and Outbox.Counts. */
enum { option_fields = 8, count_fields = 9 };

JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativeOptionsInit(JNIEnv* env, jclass cls, jlongArray out) {
  cxm_outbox_options o;
  jlong v[option_fields];
  (void)cls;
  cxm_outbox_options_init(&o);
  v[0] = (jlong)o.max_records;
  v[1] = (jlong)o.max_bytes;
  v[2] = (jlong)o.ttl_ms;
  v[3] = (jlong)o.max_record_bytes;
  v[4] = (jlong)o.group_commit;
  v[5] = (jlong)o.aggregates_only;
  v[6] = (jlong)o.retry_base_ms;
  v[7] = (jlong)o.retry_max_ms;
  (*env)->SetLongArrayRegion(env, out, 0, option_fields, v);
}

JNIEXPORT jlong JNICALL Java_dev_cxm_Outbox_nativeOpen(JNIEnv* env, jclass cls, jbyteArray directory,
                                                      jbyteArray source, jlongArray options) {
  cxm_outbox_options o;
  cxm_jni_bytes dir, src;
  cxm_outbox* outbox = NULL;
  cxm_status s;
  (void)cls;
  cxm_outbox_options_init(&o);
  if (options != NULL) {
    /* The Java side checked that the unsigned fields are not negative. */
    jlong v[option_fields];
    (*env)->GetLongArrayRegion(env, options, 0, option_fields, v);
    if ((*env)->ExceptionCheck(env)) return 0;
    o.max_records = (uint64_t)v[0];
    o.max_bytes = (uint64_t)v[1];
    o.ttl_ms = (int64_t)v[2];
    o.max_record_bytes = (uint64_t)v[3];
    o.group_commit = (int32_t)v[4];
    o.aggregates_only = (int32_t)v[5];
    o.retry_base_ms = (int64_t)v[6];
    o.retry_max_ms = (int64_t)v[7];
  }
  if (!cxm_jni_bytes_get(env, directory, &dir)) return 0;
  if (!cxm_jni_bytes_get(env, source, &src)) {
    cxm_jni_bytes_release(env, &dir);
    return 0;
  }
  s = cxm_outbox_open((const char*)dir.data, dir.len, (const char*)src.data, src.len, &o, &outbox);
  cxm_jni_bytes_release(env, &src);
  cxm_jni_bytes_release(env, &dir);
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return 0;
  }
  return CXM_JNI_HANDLE(outbox);
}

JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativeClose(JNIEnv* env, jclass cls, jlong outbox) {
  (void)env;
  (void)cls;
  cxm_outbox_close(CXM_JNI_PTR(cxm_outbox, outbox));
}

JNIEXPORT jbyteArray JNICALL Java_dev_cxm_Outbox_nativeAppend(JNIEnv* env, jclass cls, jlong outbox, jint kind,
                                                             jbyteArray json) {
  cxm_jni_bytes in;
  char id[37] = {0}; /* a UUIDv7 and its NUL (outbox.h) */
  cxm_status s;
  (void)cls;
  if (!cxm_jni_bytes_get(env, json, &in)) return NULL;
  s = cxm_outbox_append(CXM_JNI_PTR(cxm_outbox, outbox), (cxm_record_kind)kind, (const char*)in.data, in.len, id);
  cxm_jni_bytes_release(env, &in);
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return NULL;
  }
  return cxm_jni_new_bytes(env, id, strlen(id));
}

/* NULL without an exception when the recorder had nothing to drain (CXM_EMPTY). */
JNIEXPORT jbyteArray JNICALL Java_dev_cxm_Outbox_nativeAppendAggregates(JNIEnv* env, jclass cls, jlong outbox,
                                                                       jlong recorder) {
  char id[37] = {0};
  cxm_status s;
  (void)cls;
  s = cxm_outbox_append_aggregates(CXM_JNI_PTR(cxm_outbox, outbox), CXM_JNI_PTR(cxm_recorder, recorder), id);
  if (s == CXM_EMPTY) return NULL;
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return NULL;
  }
  return cxm_jni_new_bytes(env, id, strlen(id));
}

/* Stores a new byte[] into strings[index]; 0 with an exception pending on failure. */
static int store_bytes(JNIEnv* env, jobjectArray strings, jsize index, const char* data, size_t len) {
  jbyteArray b = cxm_jni_new_bytes(env, data, len);
  if (b == NULL) return 0;
  (*env)->SetObjectArrayElement(env, strings, index, b);
  (*env)->DeleteLocalRef(env, b);
  return !(*env)->ExceptionCheck(env);
}

/* The three statuses that only mean "not now" (EMPTY, NOT_PERMITTED, RETRY_LATER) are
   returned, like OK; any other failure is thrown. On OK, strings receives the id, endpoint
   and payload and records[0] the number of records. */
JNIEXPORT jint JNICALL Java_dev_cxm_Outbox_nativeNextBatch(JNIEnv* env, jclass cls, jlong outbox, jint max_bytes,
                                                          jobjectArray strings, jlongArray records) {
  cxm_outbox* box = CXM_JNI_PTR(cxm_outbox, outbox);
  cxm_outbox_batch b;
  jlong n;
  int stored;
  /* The Java side checked max_bytes >= 0. */
  const cxm_status s = cxm_outbox_next_batch(box, (size_t)max_bytes, &b);
  (void)cls;
  if (s == CXM_EMPTY || s == CXM_NOT_PERMITTED || s == CXM_RETRY_LATER) return (jint)s;
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return (jint)s;
  }
  n = (jlong)b.records;
  stored = store_bytes(env, strings, 0, b.id, strlen(b.id)) &&
           store_bytes(env, strings, 1, b.endpoint, strlen(b.endpoint)) &&
           store_bytes(env, strings, 2, b.payload, b.payload_len);
  if (!stored) {
    /* The JVM is out of memory and the app will never see this batch's id: hand the batch back
       as a failed attempt (like a network error) so it is offered again instead of waiting in
       flight. The OutOfMemoryError stays pending; the status is ignored. */
    (void)cxm_outbox_fail(box, b.id, 0, 0);
  } else {
    (*env)->SetLongArrayRegion(env, records, 0, 1, &n);
  }
  cxm_outbox_batch_free(&b);
  return (jint)s;
}

/* The batch id arrives NUL-terminated (Cxm.utf8z), as cxm_outbox_ack and _fail take it. */
JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativeAck(JNIEnv* env, jclass cls, jlong outbox, jbyteArray batch_id) {
  cxm_jni_bytes id;
  cxm_status s;
  (void)cls;
  if (!cxm_jni_bytes_get(env, batch_id, &id)) return;
  s = cxm_outbox_ack(CXM_JNI_PTR(cxm_outbox, outbox), (const char*)id.data);
  cxm_jni_bytes_release(env, &id);
  if (s != CXM_OK) cxm_jni_throw(env, s);
}

JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativeFail(JNIEnv* env, jclass cls, jlong outbox, jbyteArray batch_id,
                                                     jint http_status, jlong retry_after_ms) {
  cxm_jni_bytes id;
  cxm_status s;
  (void)cls;
  if (!cxm_jni_bytes_get(env, batch_id, &id)) return;
  s = cxm_outbox_fail(CXM_JNI_PTR(cxm_outbox, outbox), (const char*)id.data, (int32_t)http_status,
                      (int64_t)retry_after_ms);
  cxm_jni_bytes_release(env, &id);
  if (s != CXM_OK) cxm_jni_throw(env, s);
}

JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativeSetConsent(JNIEnv* env, jclass cls, jlong outbox, jint consent) {
  const cxm_status s = cxm_outbox_set_consent(CXM_JNI_PTR(cxm_outbox, outbox), (cxm_consent)consent);
  (void)cls;
  if (s != CXM_OK) cxm_jni_throw(env, s);
}

JNIEXPORT jint JNICALL Java_dev_cxm_Outbox_nativeConsent(JNIEnv* env, jclass cls, jlong outbox) {
  cxm_consent c = CXM_CONSENT_UNKNOWN;
  const cxm_status s = cxm_outbox_consent(CXM_JNI_PTR(const cxm_outbox, outbox), &c);
  (void)cls;
  if (s != CXM_OK) cxm_jni_throw(env, s);
  return (jint)c;
}

JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativePurge(JNIEnv* env, jclass cls, jlong outbox) {
  const cxm_status s = cxm_outbox_purge(CXM_JNI_PTR(cxm_outbox, outbox));
  (void)cls;
  if (s != CXM_OK) cxm_jni_throw(env, s);
}

JNIEXPORT void JNICALL Java_dev_cxm_Outbox_nativeCounts(JNIEnv* env, jclass cls, jlong outbox, jlongArray out) {
  cxm_outbox_counts c;
  jlong v[count_fields];
  const cxm_status s = cxm_outbox_counts_get(CXM_JNI_PTR(const cxm_outbox, outbox), &c);
  (void)cls;
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return;
  }
  v[0] = (jlong)c.pending_records;
  v[1] = (jlong)c.pending_bytes;
  v[2] = (jlong)c.in_flight_records;
  v[3] = (jlong)c.dropped_ttl;
  v[4] = (jlong)c.dropped_cap;
  v[5] = (jlong)c.dropped_rejected;
  v[6] = (jlong)c.dropped_too_large;
  v[7] = (jlong)c.corrupt_skipped;
  v[8] = (jlong)c.next_attempt_ms;
  (*env)->SetLongArrayRegion(env, out, 0, count_fields, v);
}
