// SPDX-License-Identifier: Apache-2.0
// Test support for the tls and http probe suites: real loopback servers the tests start and stop.
//   * SServer         — `openssl s_server` on a free 127.0.0.1 port, killed on destruction
//   * SilentListener  — accepts TCP (kernel backlog) and never says a word
//   * ScriptedServer  — a loopback TCP server running a C++ handler per connection
//                        (STARTTLS front ends relaying to an s_server, a fake TLS 1.2 server)
// Never use outside tests.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

namespace lisa::testing_support {

/// `openssl s_server -www` with the given certificate and extra options, on 127.0.0.1.
class SServer {
public:
    /// Throws std::runtime_error when it cannot start (after a few port retries).
    SServer(const std::string& cert_file, const std::string& key_file,
            const std::vector<std::string>& extra_args, const std::string& log_file);
    [[nodiscard]] int port() const noexcept { return port_; }

private:
    ChildProcess process_;
    int port_ = 0;
};

/// A listening socket nobody ever accepts from or reads: the silent peer.
class SilentListener {
public:
    SilentListener();
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    ~SilentListener();
    [[nodiscard]] int port() const noexcept { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

/// A loopback TCP server calling `handler(fd)` on its own thread for every connection; the fd is
/// blocking with 5 s receive/send timeouts and is closed after the handler returns.
class ScriptedServer {
public:
    using Handler = std::function<void(int fd)>;
    explicit ScriptedServer(Handler handler);
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;
    ~ScriptedServer();
    [[nodiscard]] int port() const noexcept { return port_; }

private:
    void accept_loop();

    Handler handler_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> connections_;
};

/// Reads exactly n bytes (false on EOF/timeout).
bool read_exact(int fd, void* buffer, std::size_t n);
/// Reads one CRLF-terminated line (without the CRLF); empty on EOF.
std::string read_line(int fd);
/// Writes everything (false on failure).
bool write_all(int fd, const std::string& data);
/// Copies bytes both ways between fd and a new connection to 127.0.0.1:port until either closes.
void relay_to(int fd, int port);

}  // namespace lisa::testing_support
