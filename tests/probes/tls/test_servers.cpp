// SPDX-License-Identifier: Apache-2.0
#include "test_servers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace lisa::testing_support {
namespace {

int listen_loopback(int backlog, int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("socket failed");
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, backlog) != 0) {
        ::close(fd);
        throw std::runtime_error("bind/listen failed");
    }
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    return fd;
}

void set_timeouts(int fd) {
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

SServer::SServer(const std::string& cert_file, const std::string& key_file,
                 const std::vector<std::string>& extra_args, const std::string& log_file) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int port = free_port();
        std::vector<std::string> argv = {
            "openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port),
            "-cert",   cert_file,  "-key",    key_file,
            "-www"};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        ChildProcess process(argv, log_file);
        if (wait_for_port(port, std::chrono::seconds(5)) && process.running()) {
            process_ = std::move(process);
            port_ = port;
            return;
        }
    }
    throw std::runtime_error("openssl s_server did not start, see " + log_file);
}

SilentListener::SilentListener() { fd_ = listen_loopback(64, port_); }

SilentListener::~SilentListener() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

ScriptedServer::ScriptedServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = listen_loopback(64, port_);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
    stop_ = true;
    if (acceptor_.joinable()) {
        acceptor_.join();
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto& thread : connections_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    ::close(fd_);
}

void ScriptedServer::accept_loop() {
    while (!stop_) {
        pollfd pfd{fd_, POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0) {
            continue;
        }
        const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        set_timeouts(client);
        const std::lock_guard<std::mutex> lock(mutex_);
        connections_.emplace_back([this, client] {
            // A client that hangs up mid-response must not kill the test with SIGPIPE.
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGPIPE);
            pthread_sigmask(SIG_BLOCK, &set, nullptr);
            handler_(client);
            ::close(client);
        });
    }
}

bool read_exact(int fd, void* buffer, std::size_t n) {
    auto* p = static_cast<char*>(buffer);
    while (n > 0) {
        const ssize_t got = ::recv(fd, p, n, 0);
        if (got <= 0) {
            return false;
        }
        p += got;
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

std::string read_line(int fd) {
    std::string line;
    char c = 0;
    while (line.size() < 4096 && ::recv(fd, &c, 1, 0) == 1) {
        if (c == '\n') {
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            return line;
        }
        line.push_back(c);
    }
    return line;
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t sent = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (sent <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(sent);
    }
    return true;
}

void relay_to(int fd, int port) {
    const int backend = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(backend, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(backend);
        return;
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {backend, POLLIN, 0}};
    char buffer[16384];
    for (;;) {
        if (::poll(fds, 2, 5000) <= 0) {
            break;
        }
        bool closed = false;
        for (int i = 0; i < 2; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            const ssize_t got = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
            if (got <= 0 ||
                !write_all(fds[1 - i].fd, std::string(buffer, static_cast<std::size_t>(got)))) {
                closed = true;
            }
        }
        if (closed) {
            break;
        }
    }
    ::close(backend);
}

}  // namespace lisa::testing_support
