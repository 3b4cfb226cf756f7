# SPDX-License-Identifier: MIT
# The storage backends of cxm serve (included by server/CMakeLists.txt).
set(cxm_server_storage_sources
  "${CMAKE_CURRENT_LIST_DIR}/store.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/sqlite_store.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/postgres_store.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/postgres_session.cpp")
