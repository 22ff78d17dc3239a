// SPDX-License-Identifier: Apache-2.0
// Internal: one libpq connection with the project's safety rules (no password in the URL, bounded
// connect and statements), and parameterised statements. Used by the PostgreSQL history driver
// and the central store; nothing outside src/history includes libpq.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lisa/core/result.hpp"

namespace lisa::pg {

/// A query result, cleared on scope exit.
class Rows {
public:
    explicit Rows(PGresult* r) : r_(r) {}
    Rows(Rows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    Rows& operator=(Rows&&) = delete;
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;
    ~Rows() { PQclear(r_); }
    [[nodiscard]] int size() const { return PQntuples(r_); }
    [[nodiscard]] bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    [[nodiscard]] std::string text(int row, int col) const {
        return null(row, col) ? std::string() : std::string(PQgetvalue(r_, row, col),
                                                            static_cast<std::size_t>(PQgetlength(r_, row, col)));
    }
    [[nodiscard]] PGresult* raw() const noexcept { return r_; }
    /// Rows an INSERT/UPDATE/DELETE touched.
    [[nodiscard]] long affected() const;

private:
    PGresult* r_;
};

using Param = std::optional<std::string>;  ///< nullopt = SQL NULL

class Connection {
public:
    /**
     * Connects to a `postgresql://` URL. Refused before any connection: a URL libpq cannot parse,
     * or one carrying a password (the error names no part of the URL). connect_timeout defaults
     * to 10 s and statement_timeout to 60 s.
     */
    [[nodiscard]] static Result<std::unique_ptr<Connection>> open(const std::string& url);
    ~Connection() { PQfinish(c_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs one statement with text parameters ($1, $2 …). `what` prefixes the error. Every
    /// statement's answer is awaited at most 70 s on lisa's side (beside the server's 60 s
    /// statement_timeout); after a timeout the connection is given up.
    [[nodiscard]] Result<Rows> exec(const std::string& what, const std::string& sql,
                                    const std::vector<Param>& params = {});
    /// Runs statements without parameters (DDL); true on success.
    [[nodiscard]] Result<bool> run(const std::string& what, const std::string& sql);
    /// SQLSTATE of the last failed statement ("42501" = insufficient privilege), or empty.
    [[nodiscard]] const std::string& last_sqlstate() const noexcept { return sqlstate_; }

private:
    explicit Connection(PGconn* c) : c_(c) {}
    std::string error_text() const;
    bool wait_socket(short events, std::chrono::steady_clock::time_point deadline) const;
    Result<Rows> collect(const std::string& what);
    PGconn* c_;
    std::string sqlstate_;
    bool broken_ = false;
};

}  // namespace lisa::pg
