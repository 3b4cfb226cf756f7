// SPDX-License-Identifier: MIT
// The PostgreSQL backend of the collector's store, for several collector instances sharing
// one database: libpq, parameterized statements only, a small connection pool. Internal to
// server/storage (open_store is the public entry point).
#ifndef CXM_SERVER_STORAGE_POSTGRES_STORE_HPP
#define CXM_SERVER_STORAGE_POSTGRES_STORE_HPP

#include <memory>
#include <string>

#include "server/storage/store.hpp"

namespace cxm::server {

/// Connects to the libpq URL `url` and migrates the schema when needed (under an advisory
/// lock, so instances starting together do not race). Errors as open_store's: io_error (cannot
/// connect or migrate), unsupported_version.
result<std::unique_ptr<store>> open_postgres_store(const std::string& url, sync_mode sync);

/// `url` without its password (the user-info part and any password= parameter), for logs.
std::string redact_postgres_url(const std::string& url);

}  // namespace cxm::server

#endif  // CXM_SERVER_STORAGE_POSTGRES_STORE_HPP
