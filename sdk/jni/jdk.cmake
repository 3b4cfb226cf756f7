# SPDX-License-Identifier: MIT
# Finds the JDK the JNI shim needs: javac (the classes, and the native headers it generates)
# and jni.h. Sets CXM_JDK_FOUND and CXM_JNI_INCLUDE_DIRS; never fails. Included by the
# top-level CMakeLists.txt, which turns CXM_BUILD_JNI on by default when a JDK is found.
find_package(Java QUIET COMPONENTS Development)
# CMake 3.25's FindJNI looks in a fixed list of directories that misses Debian's
# /usr/lib/jvm/java-17-openjdk-amd64 (its /usr/lib/jvm/default-java link comes from another
# package) unless JAVA_HOME is set. Without one, the JDK of the javac found above is the one
# wanted anyway. Not on Android, where jni.h comes from the NDK's sysroot.
if(NOT ANDROID AND NOT JAVA_HOME AND NOT DEFINED ENV{JAVA_HOME} AND Java_JAVAC_EXECUTABLE)
  get_filename_component(_cxm_javac "${Java_JAVAC_EXECUTABLE}" REALPATH)
  get_filename_component(_cxm_jdk_bin "${_cxm_javac}" DIRECTORY)
  get_filename_component(JAVA_HOME "${_cxm_jdk_bin}" DIRECTORY)
endif()
find_package(JNI QUIET)
# The shim needs jni.h only: the JVM that loads it provides the JNI functions. JNI_FOUND also
# requires libjvm and libjawt (AWT, which a headless JDK does not ship), so it is not the test.
set(CXM_JDK_FOUND OFF)
set(CXM_JNI_INCLUDE_DIRS "")
if(Java_JAVAC_EXECUTABLE AND JAVA_INCLUDE_PATH)
  set(CXM_JDK_FOUND ON)
  set(CXM_JNI_INCLUDE_DIRS "${JAVA_INCLUDE_PATH}")
  if(JAVA_INCLUDE_PATH2)  # jni_md.h, beside jni.h's directory on desktop JDKs
    list(APPEND CXM_JNI_INCLUDE_DIRS "${JAVA_INCLUDE_PATH2}")
  endif()
else()
  message(STATUS "cxm: no JDK found (javac and jni.h): the JNI shim is not built "
                 "(scripts/install-deps.sh native installs one; or set JAVA_HOME)")
endif()
