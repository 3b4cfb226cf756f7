// SPDX-License-Identifier: MIT
// The SQLite backend of the collector's store: one database file in WAL mode, one writer
// connection, a small pool of read connections. Internal to server/storage (open_store is the
// public entry point).
#ifndef CXM_SERVER_STORAGE_SQLITE_STORE_HPP
#define CXM_SERVER_STORAGE_SQLITE_STORE_HPP

#include <memory>
#include <string>

#include "server/storage/store.hpp"

namespace cxm::server {

/// Opens (creating and migrating when needed) the SQLite database at `path`. Errors as
/// open_store's: io_error, unsupported_version, invalid_argument (an empty path).
result<std::unique_ptr<store>> open_sqlite_store(const std::string& path, sync_mode sync);

}  // namespace cxm::server

#endif  // CXM_SERVER_STORAGE_SQLITE_STORE_HPP
