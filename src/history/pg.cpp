// SPDX-License-Identifier: Apache-2.0
#include "pg.hpp"

#include "lisa/report/history.hpp"

#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

namespace lisa::pg {
namespace {

// libpq messages end in newlines and may span lines; one line, no trailing space.
std::string one_line(std::string s) {
    for (char& c : s) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

/// A statement's answer must be in within this long, measured by lisa, not only by the server's
/// statement_timeout (60 s): a server or network that stops answering mid-statement would leave a
/// blocking libpq call waiting forever.
constexpr std::chrono::milliseconds kStatementBound{70'000};

}  // namespace

long Rows::affected() const {
    const char* n = PQcmdTuples(r_);
    return n == nullptr || *n == '\0' ? 0 : std::strtol(n, nullptr, 10);
}

}  // namespace lisa::pg

namespace lisa {

std::optional<std::string> postgresql_url_problem(const std::string& url) {
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
    if (options == nullptr) {
        // libpq's parse errors quote the offending part, which may hold a secret: say only what.
        PQfreemem(parse_error);
        return std::string("not a valid PostgreSQL URL (expected postgresql://USER@HOST:PORT/DATABASE)");
    }
    bool has_password = false;
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val != nullptr && std::strcmp(o->keyword, "password") == 0) {
            has_password = true;
        }
    }
    PQconninfoFree(options);
    if (has_password) {
        return std::string("the database URL carries a password; lisa refuses it (argv and URLs end up in "
                           "process lists, shell history and logs): give the password in PGPASSFILE (~/.pgpass), "
                           "PGPASSWORD or a service file (PGSERVICEFILE), and remove it from the URL");
    }
    return std::nullopt;
}

}  // namespace lisa

namespace lisa::pg {

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
    if (auto problem = postgresql_url_problem(url)) {
        return Error{*problem};
    }
    bool has_connect_timeout = false;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), nullptr);
    for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
        if (o->val != nullptr && std::strcmp(o->keyword, "connect_timeout") == 0) {
            has_connect_timeout = true;
        }
    }
    PQconninfoFree(options);
    // Later keywords win over the expanded URL only where the URL sets nothing.
    std::vector<const char*> keys;
    std::vector<const char*> values;
    if (!has_connect_timeout) {
        keys.push_back("connect_timeout");
        values.push_back("10");
    }
    keys.push_back("options");
    values.push_back("-c statement_timeout=60000 -c lock_timeout=30000");
    keys.push_back("application_name");
    values.push_back("lisa");
    keys.push_back("dbname");
    values.push_back(url.c_str());
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* c = PQconnectdbParams(keys.data(), values.data(), 1);
    if (c == nullptr) {
        return Error{"cannot connect to PostgreSQL: out of memory"};
    }
    std::unique_ptr<Connection> conn(new Connection(c));
    if (PQstatus(c) != CONNECTION_OK) {
        return Error{"cannot connect to PostgreSQL: " + conn->error_text()};
    }
    if (PQsetClientEncoding(c, "UTF8") != 0) {
        return Error{"cannot set the client encoding to UTF8: " + conn->error_text()};
    }
    // From here every statement is sent and read without blocking, bounded in time (collect).
    if (PQsetnonblocking(c, 1) != 0) {
        return Error{"cannot use the PostgreSQL connection without blocking: " + conn->error_text()};
    }
    return conn;
}

std::string Connection::error_text() const { return one_line(PQerrorMessage(c_)); }

// Waits until the socket is ready for `events` or the deadline passes; false on the deadline.
bool Connection::wait_socket(short events, std::chrono::steady_clock::time_point deadline) const {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd fd{PQsocket(c_), events, 0};
        const int rc = ::poll(&fd, 1, static_cast<int>(left.count()));
        if (rc > 0) return true;
        if (rc == 0) return false;
        if (errno != EINTR) return true;  // let libpq see and report the socket's error
    }
}

// The results of the statement(s) just sent, read without ever blocking past kStatementBound.
// The first failed result is the answer; else the last one.
Result<Rows> Connection::collect(const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + kStatementBound;
    const auto timed_out = [&] {
        broken_ = true;  // the connection's state is unknown: no further statement on it
        return Error{what + ": the server did not answer within " + std::to_string(kStatementBound.count() / 1000) +
                     " s (it may be overloaded, or the network to it is down)"};
    };
    for (int pending = PQflush(c_); pending != 0; pending = PQflush(c_)) {
        if (pending < 0 || !wait_socket(POLLOUT | POLLIN, deadline)) {
            return pending < 0 ? Result<Rows>(Error{what + ": " + error_text()}) : Result<Rows>(timed_out());
        }
        if (PQconsumeInput(c_) == 0) return Error{what + ": " + error_text()};
    }
    sqlstate_.clear();
    std::optional<Rows> answer;
    std::optional<Error> failure;
    for (;;) {
        while (PQisBusy(c_) != 0) {
            if (!wait_socket(POLLIN, deadline)) return timed_out();
            if (PQconsumeInput(c_) == 0) return Error{what + ": " + error_text()};
        }
        Rows rows(PQgetResult(c_));
        if (rows.raw() == nullptr) break;
        const ExecStatusType status = PQresultStatus(rows.raw());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !failure) {
            const char* state = PQresultErrorField(rows.raw(), PG_DIAG_SQLSTATE);
            sqlstate_ = state != nullptr ? state : "";
            failure = Error{what + ": " + one_line(PQresultErrorMessage(rows.raw()))};
        }
        answer.reset();
        answer.emplace(std::move(rows));
    }
    if (failure) return *failure;
    if (!answer) return Error{what + ": " + error_text()};
    return std::move(*answer);
}

Result<Rows> Connection::exec(const std::string& what, const std::string& sql, const std::vector<Param>& params) {
    if (broken_) return Error{what + ": the connection was given up after an earlier statement timed out"};
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    if (PQsendQueryParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr,
                          0) == 0) {
        return Error{what + ": " + error_text()};
    }
    return collect(what);
}

Result<bool> Connection::run(const std::string& what, const std::string& sql) {
    if (broken_) return Error{what + ": the connection was given up after an earlier statement timed out"};
    if (PQsendQuery(c_, sql.c_str()) == 0) {
        return Error{what + ": " + error_text()};
    }
    auto rows = collect(what);
    if (!rows) return rows.error();
    return true;
}

}  // namespace lisa::pg
