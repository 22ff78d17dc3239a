// SPDX-License-Identifier: Apache-2.0
#include "test_http_server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <stdexcept>

namespace lisa::testing_support {

struct HttpTestServer::Tls {
    SSL_CTX* ctx = nullptr;
    ~Tls() { SSL_CTX_free(ctx); }
};

std::string http_response(const std::string& status, const std::string& headers,
                          const std::string& body) {
    return "HTTP/1.1 " + status + "\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

HttpTestServer::HttpTestServer(std::map<std::string, std::string> routes,
                               const std::string& cert_file, const std::string& key_file)
    : routes_(std::move(routes)) {
    if (!cert_file.empty()) {
        tls_ = std::make_unique<Tls>();
        tls_->ctx = SSL_CTX_new(TLS_server_method());
        if (tls_->ctx == nullptr ||
            SSL_CTX_use_certificate_chain_file(tls_->ctx, cert_file.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(tls_->ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
            throw std::runtime_error("test https server: cannot load " + cert_file);
        }
    }
    server_ = std::make_unique<ScriptedServer>([this](int fd) { serve(fd); });
}

HttpTestServer::~HttpTestServer() { server_.reset(); }  // join connections before routes die

void HttpTestServer::add_route(const std::string& path, std::string response) {
    const std::lock_guard<std::mutex> lock(routes_mutex_);
    routes_[path] = std::move(response);
}

std::string HttpTestServer::base() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

void HttpTestServer::serve(int fd) {
    SSL* ssl = nullptr;
    if (tls_) {
        ssl = SSL_new(tls_->ctx);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) != 1) {
            SSL_free(ssl);
            ERR_clear_error();
            return;
        }
    }
    const auto read_some = [&](char* buffer, int size) {
        return ssl != nullptr
                   ? SSL_read(ssl, buffer, size)
                   : static_cast<int>(::recv(fd, buffer, static_cast<std::size_t>(size), 0));
    };
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
        const int got = read_some(buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        request.append(buffer, static_cast<std::size_t>(got));
    }
    // "GET /path HTTP/1.1"
    const std::size_t space = request.find(' ');
    const std::size_t end = request.find(' ', space + 1);
    const std::string path = space == std::string::npos || end == std::string::npos
                                 ? std::string("/")
                                 : request.substr(space + 1, end - space - 1);
    std::string response = http_response("404 Not Found", "", "not found\n");
    {
        const std::lock_guard<std::mutex> lock(routes_mutex_);
        if (const auto route = routes_.find(path); route != routes_.end()) {
            response = route->second;
        }
    }
    if (ssl != nullptr) {
        std::size_t done = 0;
        while (done < response.size()) {
            const int sent =
                SSL_write(ssl, response.data() + done,
                          static_cast<int>(std::min<std::size_t>(response.size() - done, 16384)));
            if (sent <= 0) {
                break;
            }
            done += static_cast<std::size_t>(sent);
        }
        SSL_shutdown(ssl);
        SSL_free(ssl);
        ERR_clear_error();
    } else {
        write_all(fd, response);
    }
}

}  // namespace lisa::testing_support
