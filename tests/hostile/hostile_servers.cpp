// SPDX-License-Identifier: Apache-2.0
#include "hostile_servers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <stdexcept>
#include <system_error>

#include "process.hpp"

namespace lisa::hostile {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

void block_sigpipe() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // threads started from here inherit the mask
}

/// A listening socket on address:port (port 0 = any); -1 with errno set on failure.
int listen_on(const std::string& address, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
        ::close(fd);
        errno = EINVAL;
        return -1;
    }
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 512) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int bound_port(int fd) {
    sockaddr_in addr{};
    socklen_t size = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
        return 0;
    }
    return ntohs(addr.sin_port);
}

/// What poll said about a connection and the server's stop signal.
enum class Wait { Readable, Stopped, TimedOut };

Wait wait_readable(const Connection& c, Clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            return Wait::TimedOut;
        }
        pollfd fds[2] = {{c.stop_fd, POLLIN, 0}, {c.fd, POLLIN, 0}};
        const int rc = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
        if (rc < 0 && errno != EINTR) {
            return Wait::Stopped;
        }
        if (rc > 0 && fds[0].revents != 0) {
            return Wait::Stopped;
        }
        if (rc > 0 && fds[1].revents != 0) {
            return Wait::Readable;
        }
    }
}

/// Reads and discards until the client closes, the server stops, or `limit` passes.
void drain_until_closed(const Connection& c, milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    char buffer[4096];
    while (wait_readable(c, deadline) == Wait::Readable) {
        if (::recv(c.fd, buffer, sizeof buffer, 0) <= 0) {
            return;
        }
    }
}

bool send_all(int fd, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t sent = ::send(fd, bytes, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent <= 0) {
            return false;
        }
        bytes += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

// ---------------------------------------------------------------- hostile behaviours

/// Reads one whole TLS record (the ClientHello) into `record`; false on EOF, stop or 10 s.
bool read_record(const Connection& c, std::string& record) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    char buffer[4096];
    auto record_size = [&]() -> std::size_t {
        if (record.size() < 5) {
            return 5;
        }
        return 5 + ((static_cast<std::size_t>(static_cast<unsigned char>(record[3])) << 8U) |
                    static_cast<unsigned char>(record[4]));
    };
    while (record.size() < record_size()) {
        if (wait_readable(c, deadline) != Wait::Readable) {
            return false;
        }
        const ssize_t got = ::recv(c.fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            return false;
        }
        record.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
}

void stay_silent(const Connection& c) {
    // Never reads, never writes: waits for the server to stop (a minute at most).
    pollfd stop{c.stop_fd, POLLIN, 0};
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline && ::poll(&stop, 1, 1000) == 0) {
    }
}

void speak_garbage(const Connection& c) {
    // Seeded, so a run is reproducible. The first byte is kept out of the TLS record types
    // (20..24): a random TLS-looking header would make this the stalled-handshake case instead.
    std::mt19937 random(20261122U);
    std::string garbage(2048, '\0');
    for (char& byte : garbage) {
        byte = static_cast<char>(random() & 0xFFU);
    }
    while (garbage[0] >= 20 && garbage[0] <= 24) {
        garbage[0] = static_cast<char>(random() & 0xFFU);
    }
    if (send_all(c.fd, garbage.data(), garbage.size())) {
        drain_until_closed(c, std::chrono::seconds(30));  // keeps the connection open a while
    }
}

void stall_tls_handshake(const Connection& c) {
    std::string hello;
    if (!read_record(c, hello)) {
        return;
    }
    // A handshake record announcing 0x50 bytes, a ServerHello header and its version — then
    // nothing more, ever.
    static constexpr unsigned char kStart[] = {0x16, 0x03, 0x03, 0x00, 0x50, 0x02,
                                               0x00, 0x00, 0x4c, 0x03, 0x03};
    if (send_all(c.fd, kStart, sizeof kStart)) {
        drain_until_closed(c, std::chrono::seconds(60));
    }
}

/// Sends `prefix`, then `filler` one byte every 50 ms until the client goes away or the server
/// stops (a minute at most): every single read the client makes succeeds, the answer never ends.
void trickle(const Connection& c, const std::string& prefix, char filler) {
    if (!send_all(c.fd, prefix.data(), prefix.size())) {
        return;
    }
    pollfd stop{c.stop_fd, POLLIN, 0};
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline && ::poll(&stop, 1, 50) == 0) {
        if (::send(c.fd, &filler, 1, MSG_NOSIGNAL) != 1) {
            return;
        }
    }
}

void trickle_tls(const Connection& c) {
    std::string hello;
    if (!read_record(c, hello)) {
        return;
    }
    // A handshake record announcing 16 KiB (the maximum): a ServerHello that never completes.
    trickle(c, std::string("\x16\x03\x03\x40\x00\x02\x00\x3f\xfc\x03\x03", 11), '\x01');
}

void trickle_http(const Connection& c) {
    char request[4096];
    if (wait_readable(c, Clock::now() + std::chrono::seconds(10)) != Wait::Readable ||
        ::recv(c.fd, request, sizeof request, 0) <= 0) {
        return;
    }
    // A status line, then one header line that never ends.
    trickle(c, "HTTP/1.1 200 OK\r\nX-Slow: ", 'a');
}

void send_tls_alert(const Connection& c) {
    std::string hello;
    if (!read_record(c, hello)) {
        return;
    }
    // alert record: fatal (2), handshake_failure (40)
    static constexpr unsigned char kAlert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    send_all(c.fd, kAlert, sizeof kAlert);
}

}  // namespace

// ---------------------------------------------------------------- LoopbackServer

LoopbackServer::LoopbackServer(std::vector<std::string> addresses, Handler handler,
                               std::size_t ports)
    : addresses_(std::move(addresses)), handler_(std::move(handler)) {
    if (addresses_.empty()) {
        addresses_.emplace_back("127.0.0.1");
    }
    if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    // Each port free on every address: take one for the first address, try it on the others.
    int error = 0;
    for (int attempt = 0; attempt < 100 && ports_.size() < std::max<std::size_t>(ports, 1); ++attempt) {
        std::vector<int> fds;
        const int first = listen_on(addresses_[0], 0);
        if (first < 0) {
            error = errno;
            break;
        }
        fds.push_back(first);
        const int port = bound_port(first);
        for (std::size_t i = 1; i < addresses_.size(); ++i) {
            const int fd = listen_on(addresses_[i], port);
            if (fd < 0) {
                error = errno;
                break;
            }
            fds.push_back(fd);
        }
        if (fds.size() == addresses_.size()) {
            listeners_.insert(listeners_.end(), fds.begin(), fds.end());
            ports_.push_back(port);
        } else {
            for (const int fd : fds) {
                ::close(fd);
            }
        }
    }
    if (ports_.size() < std::max<std::size_t>(ports, 1)) {
        for (const int fd : listeners_) {
            ::close(fd);
        }
        ::close(stop_pipe_[0]);
        ::close(stop_pipe_[1]);
        throw std::runtime_error("no port free on all " + std::to_string(addresses_.size()) +
                                 " loopback addresses: " + std::strerror(error));
    }
    counts_.max_open_per_address.assign(addresses_.size(), 0);
    counts_.max_held_per_address.assign(addresses_.size(), 0);
    held_per_address_.assign(addresses_.size(), 0);
    acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() {
    stop();
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
}

ConnectionCounts LoopbackServer::counts() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return counts_;
}

void LoopbackServer::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    const char byte = 1;
    while (::write(stop_pipe_[1], &byte, 1) < 0 && errno == EINTR) {
    }
    if (acceptor_.joinable()) {
        acceptor_.join();  // no new connections from here on
    }
    {
        // Unblocks handlers in blocking reads (TLS); the others poll the stop pipe.
        const std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [fd, address] : live_) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    for (auto& [id, thread] : threads_) {
        thread.join();
    }
    threads_.clear();
    for (const int fd : listeners_) {
        ::close(fd);
    }
    listeners_.clear();
}

void LoopbackServer::reap_finished() {
    std::vector<std::uint64_t> done;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        done.swap(finished_);
    }
    for (const std::uint64_t id : done) {
        if (auto it = threads_.find(id); it != threads_.end()) {
            it->second.join();  // it has closed its connection; it is only returning
            threads_.erase(it);
        }
    }
}

void LoopbackServer::accept_loop() {
    block_sigpipe();
    std::vector<pollfd> fds;
    for (const int fd : listeners_) {
        fds.push_back({fd, POLLIN, 0});
    }
    fds.push_back({stop_pipe_[0], POLLIN, 0});
    std::uint64_t next_id = 0;
    for (;;) {
        const int rc = ::poll(fds.data(), fds.size(), 100);
        reap_finished();
        if (rc < 0 && errno != EINTR) {
            return;
        }
        if (rc <= 0) {
            continue;
        }
        if (fds.back().revents != 0) {
            return;  // stop
        }
        for (std::size_t i = 0; i < listeners_.size(); ++i) {
            if ((fds[i].revents & POLLIN) == 0) {
                continue;
            }
            for (;;) {
                const int fd = ::accept4(listeners_[i], nullptr, nullptr, SOCK_CLOEXEC);
                if (fd < 0) {
                    break;  // EAGAIN: nothing more queued on this address
                }
                const std::uint64_t id = next_id++;
                const std::size_t address = i % addresses_.size();
                {
                    const std::lock_guard<std::mutex> lock(mutex_);
                    live_.emplace(fd, address);
                    ++counts_.accepted;
                    ++counts_.open_now;
                    ++held_per_address_[address];
                    counts_.max_held_total = std::max(counts_.max_held_total, counts_.open_now);
                    counts_.max_held_per_address[address] =
                        std::max(counts_.max_held_per_address[address], held_per_address_[address]);
                    count_open(address);
                }
                const Connection connection{fd, stop_pipe_[0], address};
                try {
                    threads_.emplace(id, std::thread([this, connection, id] { run(connection, id); }));
                } catch (const std::system_error&) {
                    run(connection, id);  // out of threads: serve it here
                    reap_finished();
                }
            }
        }
    }
}

void LoopbackServer::run(Connection connection, std::uint64_t id) {
    try {
        handler_(connection);
    } catch (...) {
        // A handler failing ends its connection, never the test process.
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    live_.erase(connection.fd);
    ::close(connection.fd);  // under the lock: stop() and count_open() never see a reused fd
    --counts_.open_now;
    --held_per_address_[connection.address];
    finished_.push_back(id);
}

void LoopbackServer::count_open(std::size_t address) {
    // Loopback delivers a client's FIN or RST within its close(): by the time a new connection
    // is accepted, every connection its client closed before connecting shows the hang-up.
    std::vector<pollfd> fds;
    std::vector<std::size_t> addresses;
    fds.reserve(live_.size());
    for (const auto& [fd, index] : live_) {
        fds.push_back({fd, static_cast<short>(POLLRDHUP), 0});
        addresses.push_back(index);
    }
    if (::poll(fds.data(), fds.size(), 0) < 0) {
        return;
    }
    std::size_t total = 0;
    std::size_t here = 0;
    for (std::size_t k = 0; k < fds.size(); ++k) {
        if ((fds[k].revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) {
            continue;  // the client has closed it
        }
        ++total;
        here += addresses[k] == address ? 1 : 0;
    }
    counts_.max_open_total = std::max(counts_.max_open_total, total);
    counts_.max_open_per_address[address] = std::max(counts_.max_open_per_address[address], here);
}

// ---------------------------------------------------------------- HostilePeer

const char* to_string(Hostility hostility) {
    switch (hostility) {
        case Hostility::Silent:
            return "silent";
        case Hostility::Garbage:
            return "garbage";
        case Hostility::StallTls:
            return "stall";
        case Hostility::CloseAtOnce:
            return "closes";
        case Hostility::TlsAlert:
            return "alert";
        case Hostility::Refused:
            return "refused";
        case Hostility::TrickleTls:
            return "trickle-tls";
        case Hostility::TrickleHttp:
            return "trickle-http";
    }
    return "?";
}

HostilePeer::HostilePeer(Hostility hostility) : hostility_(hostility) {
    LoopbackServer::Handler handler;
    switch (hostility) {
        case Hostility::Silent:
            handler = stay_silent;
            break;
        case Hostility::Garbage:
            handler = speak_garbage;
            break;
        case Hostility::StallTls:
            handler = stall_tls_handshake;
            break;
        case Hostility::CloseAtOnce:
            handler = [](const Connection&) {};  // the server closes when the handler returns
            break;
        case Hostility::TlsAlert:
            handler = send_tls_alert;
            break;
        case Hostility::TrickleTls:
            handler = trickle_tls;
            break;
        case Hostility::TrickleHttp:
            handler = trickle_http;
            break;
        case Hostility::Refused: {
            refused_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (refused_fd_ < 0 ||
                ::bind(refused_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
                throw std::runtime_error("cannot bind a port for the refused peer");
            }
            refused_port_ = bound_port(refused_fd_);
            return;  // bound, never listening: connections are refused
        }
    }
    server_ = std::make_unique<LoopbackServer>(std::vector<std::string>{"127.0.0.1"}, handler);
}

HostilePeer::~HostilePeer() {
    if (refused_fd_ >= 0) {
        ::close(refused_fd_);
    }
}

// ---------------------------------------------------------------- CountingTlsServer

struct CountingTlsServer::Tls {
    SSL_CTX* ctx = nullptr;
    ~Tls() { SSL_CTX_free(ctx); }
};

CountingTlsServer::CountingTlsServer(const std::vector<std::string>& addresses,
                                     const std::string& cert_file, const std::string& key_file,
                                     std::size_t ports)
    : tls_(std::make_unique<Tls>()) {
    tls_->ctx = SSL_CTX_new(TLS_server_method());
    if (tls_->ctx == nullptr ||
        SSL_CTX_set_min_proto_version(tls_->ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate_chain_file(tls_->ctx, cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls_->ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(tls_->ctx) != 1) {
        ERR_clear_error();
        throw std::runtime_error("cannot set up the counting TLS server with " + cert_file);
    }
    SSL_CTX_set_num_tickets(tls_->ctx, 0);
    SSL_CTX_set_session_cache_mode(tls_->ctx, SSL_SESS_CACHE_OFF);
    server_ = std::make_unique<LoopbackServer>(
        addresses, [this](const Connection& connection) { serve(connection); }, ports);
}

CountingTlsServer::~CountingTlsServer() { server_->stop(); }

void CountingTlsServer::serve(const Connection& connection) {
    const int fd = connection.fd;
    timeval ten_seconds{10, 0};  // every blocking read/write is bounded; stop() unblocks them too
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &ten_seconds, sizeof ten_seconds);
    unsigned char first = 0;
    if (::recv(fd, &first, 1, MSG_PEEK) != 1) {
        return;
    }
    if (first != 0x16) {
        // Plain HTTP: read the request head, send the client to https on the same address.
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
            const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got <= 0) {
                return;
            }
            request.append(buffer, static_cast<std::size_t>(got));
        }
        sockaddr_in local{};
        socklen_t size = sizeof local;
        getsockname(fd, reinterpret_cast<sockaddr*>(&local), &size);
        char host[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &local.sin_addr, host, sizeof host);
        const std::string response = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://" +
                                     std::string(host) + ":" + std::to_string(ntohs(local.sin_port)) +
                                     "/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        ++plain_requests_;
        send_all(fd, response.data(), response.size());
        return;
    }
    SSL* ssl = SSL_new(tls_->ctx);
    if (ssl == nullptr) {
        ERR_clear_error();
        return;
    }
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
        ++handshakes_;
        // The tls probe closes right after the handshake; curl sends a GET.
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
            const int got = SSL_read(ssl, buffer, sizeof buffer);
            if (got <= 0) {
                break;
            }
            request.append(buffer, static_cast<std::size_t>(got));
        }
        if (request.find("\r\n\r\n") != std::string::npos) {
            static const std::string kResponse =
                "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\n"
                "Content-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
            ++https_requests_;
            SSL_write(ssl, kResponse.data(), static_cast<int>(kResponse.size()));
        }
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ERR_clear_error();
}

// ---------------------------------------------------------------- helpers

std::vector<std::string> loopback_addresses(std::size_t count) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i <= count && i < 255; ++i) {
        out.push_back("127.0.0." + std::to_string(i));
    }
    return out;
}

TestCertificates make_certificates(const std::string& dir, const std::vector<std::string>& dns_names,
                                   const std::vector<std::string>& ips, int days) {
    using testing_support::run_command;
    using testing_support::write_file;
    std::string san;
    for (const auto& name : dns_names) {
        san += (san.empty() ? "" : ",") + std::string("DNS:") + name;
    }
    for (const auto& ip : ips) {
        san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    }
    const std::string config = dir + "/openssl.cnf";
    write_file(config,
               "[req]\ndistinguished_name = dn\nprompt = no\n"
               "[dn]\nCN = Lisa Hostile Test CA\nO = Testkommun\n"
               "[ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
               "subjectKeyIdentifier = hash\n"
               "[server]\nbasicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\n"
               "extendedKeyUsage = serverAuth\nsubjectKeyIdentifier = hash\n"
               "authorityKeyIdentifier = keyid\nsubjectAltName = " +
                   san + "\n");
    TestCertificates out{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
    const std::string ca_key = dir + "/ca.key";
    const std::string csr = dir + "/server.csr";
    const std::vector<std::vector<std::string>> commands = {
        {"openssl", "req", "-x509", "-config", config, "-extensions", "ca", "-newkey", "ec",
         "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out", out.ca_file,
         "-days", std::to_string(days + 1), "-sha256"},
        {"openssl", "req", "-new", "-config", config, "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", out.key_file, "-out", csr, "-subj",
         "/CN=" + (dns_names.empty() ? std::string("127.0.0.1") : dns_names.front()) + "/O=Testkommun"},
        {"openssl", "x509", "-req", "-in", csr, "-CA", out.ca_file, "-CAkey", ca_key, "-set_serial",
         "4242", "-days", std::to_string(days), "-sha256", "-extfile", config, "-extensions",
         "server", "-out", out.cert_file},
    };
    for (const auto& command : commands) {
        std::string output;
        if (run_command(command, &output) != 0) {
            throw std::runtime_error("openssl failed: " + command[1] + ": " + output);
        }
    }
    return out;
}

}  // namespace lisa::hostile
