// SPDX-License-Identifier: Apache-2.0
// Test support for the hostile-network suite: in-process loopback peers on plain sockets and
// threads, each owning its listening sockets and connection threads and stopping them (joined)
// on destruction, so a failing test never leaves a thread or a socket behind.
//   * LoopbackServer   — listens on one port on one or many loopback addresses, runs a handler per
//                         connection on its own thread and counts open connections per address
//   * HostilePeer      — silent, garbage, a TLS server stalling mid-handshake, close-at-once
//   * CountingTlsServer — a healthy TLS + plain-HTTP server on many loopback addresses
// plus a throw-away PKI made with the openssl command line. Never use outside tests.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lisa::hostile {

/// One accepted connection, as a handler sees it. The server closes `fd` after the handler
/// returns; `stop_fd` becomes readable when the server shuts down (poll it beside `fd`).
struct Connection {
    int fd = -1;
    int stop_fd = -1;
    std::size_t address = 0;  ///< index into LoopbackServer::addresses()
};

/**
 * Connections open at once, as the server saw them. A connection is open from accept() until
 * either end closed it: at every accept the server polls its live connections for a hang-up
 * (POLLRDHUP/POLLHUP), so a connection the client has closed and whose handler thread has not yet
 * noticed is not counted (the maxima are reached at accepts). `held` figures count until the
 * server closed its end, scheduling lag included.
 */
struct ConnectionCounts {
    std::size_t accepted = 0;
    std::size_t open_now = 0;  ///< held by the server right now
    std::size_t max_open_total = 0;
    std::vector<std::size_t> max_open_per_address;  ///< same order as addresses()
    std::size_t max_held_total = 0;
    std::vector<std::size_t> max_held_per_address;
};

class LoopbackServer {
public:
    using Handler = std::function<void(const Connection&)>;

    /// Listens on `ports` free ports, each shared by every address (e.g. 127.0.0.1 … 127.0.0.50,
    /// all routed to lo on Linux). Throws std::runtime_error when no common free port is found.
    LoopbackServer(std::vector<std::string> addresses, Handler handler, std::size_t ports = 1);
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;
    ~LoopbackServer();

    [[nodiscard]] int port() const noexcept { return ports_.front(); }
    [[nodiscard]] const std::vector<int>& ports() const noexcept { return ports_; }
    [[nodiscard]] const std::vector<std::string>& addresses() const noexcept { return addresses_; }
    [[nodiscard]] ConnectionCounts counts() const;
    /// Stops accepting, unblocks and joins every connection thread. Idempotent.
    void stop();

private:
    void accept_loop();
    void run(Connection connection, std::uint64_t id);
    void reap_finished();
    void count_open(std::size_t address);  // under the lock, right after an accept

    std::vector<std::string> addresses_;
    Handler handler_;
    std::vector<int> listeners_;  // port-major: listener i is on addresses_[i % addresses_.size()]
    std::vector<int> ports_;
    int stop_pipe_[2] = {-1, -1};
    bool stopped_ = false;
    std::thread acceptor_;

    mutable std::mutex mutex_;  // guards everything below
    std::map<std::uint64_t, std::thread> threads_;  // only the acceptor (then stop()) touches it
    std::vector<std::uint64_t> finished_;
    std::map<int, std::size_t> live_;  // fd -> address index
    ConnectionCounts counts_;
    std::vector<std::size_t> held_per_address_;
};

/// The hostile behaviours of the issue.
enum class Hostility {
    Silent,       ///< accepts and never speaks, never reads
    Garbage,      ///< sends 2 KiB of (seeded) random bytes at once, then keeps the connection open
    StallTls,     ///< reads the ClientHello, sends the first bytes of a ServerHello record, stalls
    CloseAtOnce,  ///< accepts and closes
    TlsAlert,     ///< reads the ClientHello, answers with a fatal handshake_failure alert, closes
    Refused,      ///< nobody listens: the port is bound (so no one else takes it) but not listening
    TrickleTls,   ///< reads the ClientHello, then a 16 KiB handshake record one byte every 50 ms, forever
    TrickleHttp,  ///< reads the request, then an HTTP response header one byte every 50 ms, forever
};

const char* to_string(Hostility hostility);

/// A hostile peer on a free 127.0.0.1 port.
class HostilePeer {
public:
    explicit HostilePeer(Hostility hostility);
    HostilePeer(const HostilePeer&) = delete;
    HostilePeer& operator=(const HostilePeer&) = delete;
    ~HostilePeer();
    [[nodiscard]] int port() const noexcept { return server_ ? server_->port() : refused_port_; }
    [[nodiscard]] Hostility hostility() const noexcept { return hostility_; }
    [[nodiscard]] ConnectionCounts counts() const { return server_ ? server_->counts() : ConnectionCounts{}; }

private:
    Hostility hostility_;
    std::unique_ptr<LoopbackServer> server_;
    int refused_fd_ = -1;  // Refused: bound, never listening
    int refused_port_ = 0;
};

/// A healthy server on many loopback addresses and one port: TLS (TLS 1.2+, the given
/// certificate, an HTTP answer with HSTS to a request) when the first byte is a TLS handshake
/// record, plain HTTP (301 to https://ADDRESS:PORT/) otherwise.
class CountingTlsServer {
public:
    CountingTlsServer(const std::vector<std::string>& addresses, const std::string& cert_file,
                      const std::string& key_file, std::size_t ports = 1);
    ~CountingTlsServer();
    CountingTlsServer(const CountingTlsServer&) = delete;
    CountingTlsServer& operator=(const CountingTlsServer&) = delete;

    [[nodiscard]] int port() const noexcept { return server_->port(); }
    [[nodiscard]] const std::vector<int>& ports() const noexcept { return server_->ports(); }
    [[nodiscard]] ConnectionCounts counts() const { return server_->counts(); }
    [[nodiscard]] std::size_t tls_handshakes() const noexcept { return handshakes_.load(); }
    [[nodiscard]] std::size_t https_requests() const noexcept { return https_requests_.load(); }
    [[nodiscard]] std::size_t plain_requests() const noexcept { return plain_requests_.load(); }

private:
    void serve(const Connection& connection);

    struct Tls;
    std::unique_ptr<Tls> tls_;
    std::atomic<std::size_t> handshakes_{0};
    std::atomic<std::size_t> https_requests_{0};
    std::atomic<std::size_t> plain_requests_{0};
    std::unique_ptr<LoopbackServer> server_;  // last: stopped first, before tls_ goes
};

/// "127.0.0.1" … "127.0.0.<count>"
std::vector<std::string> loopback_addresses(std::size_t count);

/// A CA and one server certificate (EC P-256, SHA-256) made with the openssl command line.
struct TestCertificates {
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
};

/// Writes ca.pem, server.pem, server.key into `dir`; the server certificate carries the given
/// DNS names and IP addresses as SANs and is valid from now for `days`. Throws on failure.
TestCertificates make_certificates(const std::string& dir, const std::vector<std::string>& dns_names,
                                   const std::vector<std::string>& ips, int days = 3650);

}  // namespace lisa::hostile
