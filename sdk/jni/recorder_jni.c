/* SPDX-License-Identifier: MIT */
/* The natives of dev.cxm.Recorder over cxm_recorder_* (cxm/c/recorder.h). Translation only. */
#include <stdlib.h>

#include "cxm_jni.h"
#include "dev_cxm_Recorder.h"

/* The specs of cxm_recorder_create from the Java arrays. The names are copied into one buffer
   (GetByteArrayRegion) rather than pinned one by one: a recorder may have 4096 metrics, and
   every pinned array would hold a local reference until the call returned. */
JNIEXPORT jlong JNICALL Java_dev_cxm_Recorder_nativeCreate(JNIEnv* env, jclass cls, jobjectArray names,
                                                          jintArray kinds, jintArray scales) {
  /* The Java side checked that the three arrays have the same length and no null name. */
  const jsize n = (*env)->GetArrayLength(env, names);
  cxm_metric_spec* specs;
  jint* numbers;
  char* text;
  size_t total = 0, offset = 0;
  jsize i;
  cxm_recorder* recorder = NULL;
  cxm_status s;
  (void)cls;
  for (i = 0; i < n; ++i) {
    jbyteArray name = (jbyteArray)(*env)->GetObjectArrayElement(env, names, i);
    if (name == NULL) return 0; /* cannot happen (see above); an exception may be pending */
    total += (size_t)(*env)->GetArrayLength(env, name);
    (*env)->DeleteLocalRef(env, name);
  }
  /* One allocation for the specs, the kinds and scales, and the names' bytes (+1: never 0).
     The size cannot wrap: the count is checked against it before multiplying. */
  specs = NULL;
  if ((size_t)n <= (SIZE_MAX - total - 1) / (sizeof(cxm_metric_spec) + 2 * sizeof(jint)))
    specs = (cxm_metric_spec*)malloc((size_t)n * (sizeof(cxm_metric_spec) + 2 * sizeof(jint)) + total + 1);
  if (specs == NULL) {
    cxm_jni_throw_out_of_memory(env, "the metrics of a recorder");
    return 0;
  }
  numbers = (jint*)(specs + n);
  text = (char*)(numbers + 2 * n);
  (*env)->GetIntArrayRegion(env, kinds, 0, n, numbers);
  if (!(*env)->ExceptionCheck(env)) (*env)->GetIntArrayRegion(env, scales, 0, n, numbers + n);
  if ((*env)->ExceptionCheck(env)) { /* ArrayIndexOutOfBoundsException: a shorter array */
    free(specs);
    return 0;
  }
  for (i = 0; i < n; ++i) {
    jbyteArray name = (jbyteArray)(*env)->GetObjectArrayElement(env, names, i);
    const jsize len = (*env)->GetArrayLength(env, name);
    (*env)->GetByteArrayRegion(env, name, 0, len, (jbyte*)(text + offset));
    (*env)->DeleteLocalRef(env, name);
    specs[i].name = text + offset;
    specs[i].name_len = (size_t)len;
    specs[i].kind = (cxm_metric_kind)numbers[i];
    specs[i].scale = (cxm_scale_id)numbers[n + i];
    specs[i].sketch = NULL; /* the default sketch options */
    offset += (size_t)len;
  }
  s = cxm_recorder_create(specs, (size_t)n, &recorder);
  free(specs);
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return 0;
  }
  return CXM_JNI_HANDLE(recorder);
}

JNIEXPORT void JNICALL Java_dev_cxm_Recorder_nativeDestroy(JNIEnv* env, jclass cls, jlong recorder) {
  (void)env;
  (void)cls;
  cxm_recorder_destroy(CXM_JNI_PTR(cxm_recorder, recorder));
}

JNIEXPORT jint JNICALL Java_dev_cxm_Recorder_nativeFind(JNIEnv* env, jclass cls, jlong recorder, jbyteArray name) {
  cxm_jni_bytes in;
  size_t index = 0;
  cxm_status s;
  (void)cls;
  if (!cxm_jni_bytes_get(env, name, &in)) return -1;
  s = cxm_recorder_find(CXM_JNI_PTR(const cxm_recorder, recorder), (const char*)in.data, in.len, &index);
  cxm_jni_bytes_release(env, &in);
  if (s == CXM_NOT_FOUND) return -1;
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return -1;
  }
  return (jint)index; /* at most 4096 metrics */
}

/* A record call's status: the answers cxm rejects and counts (recorder.h) are returned to
   Java as values; any other failure is a misuse (a bad index, the wrong kind), thrown. */
static jint recorded(JNIEnv* env, cxm_status s) {
  if (s != CXM_OK && s != CXM_OUT_OF_RANGE && s != CXM_NOT_INTEGER && s != CXM_NOT_FINITE) cxm_jni_throw(env, s);
  return (jint)s;
}

/* A Java int index is passed as size_t: a negative one becomes a huge index, which cxm
   refuses as past the metrics. */
JNIEXPORT jint JNICALL Java_dev_cxm_Recorder_nativeRecordInt(JNIEnv* env, jclass cls, jlong recorder, jint metric,
                                                            jint answer) {
  (void)cls;
  return recorded(env, cxm_recorder_record_int(CXM_JNI_PTR(cxm_recorder, recorder), (size_t)metric, (int32_t)answer));
}

JNIEXPORT jint JNICALL Java_dev_cxm_Recorder_nativeRecord(JNIEnv* env, jclass cls, jlong recorder, jint metric,
                                                         jdouble answer) {
  (void)cls;
  return recorded(env, cxm_recorder_record(CXM_JNI_PTR(cxm_recorder, recorder), (size_t)metric, answer));
}

JNIEXPORT jint JNICALL Java_dev_cxm_Recorder_nativeRecordDuration(JNIEnv* env, jclass cls, jlong recorder,
                                                                 jint metric, jdouble duration) {
  (void)cls;
  return recorded(env, cxm_recorder_record_duration(CXM_JNI_PTR(cxm_recorder, recorder), (size_t)metric, duration));
}

JNIEXPORT jbyteArray JNICALL Java_dev_cxm_Recorder_nativeSnapshotJson(JNIEnv* env, jclass cls, jlong recorder) {
  char* out = NULL;
  size_t out_len = 0;
  const cxm_status s = cxm_recorder_snapshot_json(CXM_JNI_PTR(const cxm_recorder, recorder), &out, &out_len);
  (void)cls;
  if (s != CXM_OK) {
    cxm_jni_throw(env, s);
    return NULL;
  }
  return cxm_jni_take_string(env, out, out_len);
}
