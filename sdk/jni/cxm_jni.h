/* SPDX-License-Identifier: MIT */
/* The helpers every file of the JNI shim shares: bytes in and out, handles, exceptions. */
#ifndef CXM_JNI_H
#define CXM_JNI_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include <cxm/cxm.h>

/* Handles cross to Java as the `long` fields of the dev.cxm classes: a pointer fits in 64 bits
   on every platform the shim is built for. */
#define CXM_JNI_PTR(type, handle) ((type*)(intptr_t)(handle))
#define CXM_JNI_HANDLE(ptr) ((jlong)(intptr_t)(ptr))

/* The bytes of a Java byte[] (UTF-8 text, see dev/cxm/Cxm.java) for the duration of one cxm
   call. Read through Get/ReleaseByteArrayElements rather than a critical region: cxm calls
   may block (an outbox append waits for its fsync), which a critical region must not. */
typedef struct cxm_jni_bytes {
  jbyteArray array;
  jbyte* data;
  size_t len;
} cxm_jni_bytes;

/* Fills `in` from `array` (never NULL: the Java side checks). 1 on success; 0 with an
   OutOfMemoryError pending. */
int cxm_jni_bytes_get(JNIEnv* env, jbyteArray array, cxm_jni_bytes* in);
/* Releases what cxm_jni_bytes_get took, without copying anything back. */
void cxm_jni_bytes_release(JNIEnv* env, cxm_jni_bytes* in);

/* A new byte[] holding `len` bytes of `data`; NULL with an exception pending when the JVM is
   out of memory. */
jbyteArray cxm_jni_new_bytes(JNIEnv* env, const char* data, size_t len);
/* A new byte[] holding a string cxm returned, which is then freed with cxm_string_free (also
   when the byte[] cannot be made, in which case NULL comes back with an exception pending). */
jbyteArray cxm_jni_take_string(JNIEnv* env, char* s, size_t len);

/* Throws dev.cxm.CxmException for `status` with this thread's cxm_last_error_detail(): call it
   right after the failing cxm call, before any other cxm call on the thread. */
void cxm_jni_throw(JNIEnv* env, cxm_status status);
/* Throws OutOfMemoryError naming what could not be allocated. */
void cxm_jni_throw_out_of_memory(JNIEnv* env, const char* what);

#endif /* CXM_JNI_H */
