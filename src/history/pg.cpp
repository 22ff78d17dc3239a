// SPDX-License-Identifier: Apache-2.0
#include "pg.hpp"

#include "lisa/report/history.hpp"

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
    return conn;
}

std::string Connection::error_text() const { return one_line(PQerrorMessage(c_)); }

Result<Rows> Connection::exec(const std::string& what, const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    Rows rows(PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0));
    sqlstate_.clear();
    const ExecStatusType status = PQresultStatus(rows.raw());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char* state = PQresultErrorField(rows.raw(), PG_DIAG_SQLSTATE);
        sqlstate_ = state != nullptr ? state : "";
        return Error{what + ": " + one_line(PQresultErrorMessage(rows.raw()))};
    }
    return rows;
}

Result<bool> Connection::run(const std::string& what, const std::string& sql) {
    Rows rows(PQexec(c_, sql.c_str()));
    sqlstate_.clear();
    const ExecStatusType status = PQresultStatus(rows.raw());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char* state = PQresultErrorField(rows.raw(), PG_DIAG_SQLSTATE);
        sqlstate_ = state != nullptr ? state : "";
        return Error{what + ": " + one_line(PQresultErrorMessage(rows.raw()))};
    }
    return true;
}

}  // namespace lisa::pg
