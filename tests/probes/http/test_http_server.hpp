// SPDX-License-Identifier: Apache-2.0
// Test support: a tiny loopback HTTP/1.0 server (optionally HTTPS with a test certificate) that
// answers canned responses by request path. Never use outside tests.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "test_servers.hpp"

namespace lisa::testing_support {

class HttpTestServer {
public:
    /// path (incl. query) → full raw response ("HTTP/1.1 200 OK\r\n...\r\n\r\nbody");
    /// unknown paths get 404. With cert_file/key_file it speaks HTTPS.
    HttpTestServer(std::map<std::string, std::string> routes, const std::string& cert_file = {},
                   const std::string& key_file = {});
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;
    ~HttpTestServer();

    /// Adds or replaces a route once the server runs (e.g. a document that names base()).
    void add_route(const std::string& path, std::string response);

    [[nodiscard]] int port() const noexcept { return server_->port(); }
    /// "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT"
    [[nodiscard]] std::string base() const;

private:
    void serve(int fd);

    struct Tls;
    std::mutex routes_mutex_;
    std::map<std::string, std::string> routes_;
    std::unique_ptr<Tls> tls_;
    std::unique_ptr<ScriptedServer> server_;
};

/// "HTTP/1.1 <status>\r\n<headers>Content-Length: n\r\nConnection: close\r\n\r\n<body>"
std::string http_response(const std::string& status, const std::string& headers,
                          const std::string& body);

}  // namespace lisa::testing_support
