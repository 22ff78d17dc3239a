// SPDX-License-Identifier: Apache-2.0
#include "echo_ldap_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace lisa::testing_support {
namespace {

// ---- What a careless peer makes of a password it quotes ----------------------------------------

std::string upper(std::string text) {  // ASCII and Latin-1 (å ä ö …) as UTF-8
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 'a' && u <= 'z') {
            text[i] = static_cast<char>(u - 32);
        } else if (u == 0xC3 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0xA0 && next <= 0xBE && next != 0xB7) {
                text[i + 1] = static_cast<char>(next - 32);
            }
            ++i;
        }
    }
    return text;
}

std::string hex(const std::string& bytes, bool capitals) {
    const char* digits = capitals ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

std::string base64(const std::string& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
}

/// The first characters of `text` (UTF-8 code points), all but the last `drop`, then "…".
std::string truncated(const std::string& text, std::size_t drop) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            starts.push_back(i);
        }
    }
    return starts.size() <= drop ? std::string("…") : text.substr(0, starts[starts.size() - drop]) + "…";
}

/// The password as it was sent and as peers transform it: truncated, upper-cased, base64, hex.
std::string transformed(const std::string& sent) {
    return " (truncated '" + truncated(sent, 4) + "', upper '" + upper(sent) + "', base64 '" +
           base64(sent) + "', hex '" + hex(sent, false) + "', HEX '" + hex(sent, true) + "')";
}

// ---- BER (X.690) just deep enough for LDAPMessage -------------------------------------------

std::string ber_length(std::size_t n) {
    if (n < 0x80) {
        return std::string(1, static_cast<char>(n));
    }
    std::string bytes;
    while (n > 0) {
        bytes.insert(bytes.begin(), static_cast<char>(n & 0xFF));
        n >>= 8;
    }
    return std::string(1, static_cast<char>(0x80 | bytes.size())) + bytes;
}

std::string tlv(unsigned char tag, const std::string& value) {
    return std::string(1, static_cast<char>(tag)) + ber_length(value.size()) + value;
}

std::string ber_int(unsigned char tag, long v) {
    std::string bytes;
    do {
        bytes.insert(bytes.begin(), static_cast<char>(v & 0xFF));
        v >>= 8;
    } while (v > 0);
    if ((static_cast<unsigned char>(bytes.front()) & 0x80) != 0) {
        bytes.insert(bytes.begin(), '\0');
    }
    return tlv(tag, bytes);
}

// One element: tag, and its value's bounds in the buffer.
struct Element {
    unsigned char tag = 0;
    std::string_view value;
};

std::optional<Element> read_element(std::string_view in, std::size_t& pos) {
    if (pos + 2 > in.size()) {
        return std::nullopt;
    }
    Element e;
    e.tag = static_cast<unsigned char>(in[pos++]);
    std::size_t len = static_cast<unsigned char>(in[pos++]);
    if ((len & 0x80) != 0) {
        const std::size_t count = len & 0x7F;
        if (count == 0 || count > 4 || pos + count > in.size()) {
            return std::nullopt;
        }
        len = 0;
        for (std::size_t i = 0; i < count; ++i) {
            len = (len << 8) | static_cast<unsigned char>(in[pos++]);
        }
    }
    if (pos + len > in.size()) {
        return std::nullopt;
    }
    e.value = in.substr(pos, len);
    pos += len;
    return e;
}

long int_value(std::string_view v) {
    long out = 0;
    for (const char c : v) {
        out = (out << 8) | static_cast<unsigned char>(c);
    }
    return out;
}

// LDAPResult components (RFC 4511 §4.1.9), with an optional referral [3].
std::string ldap_result(int code, const std::string& matched, const std::string& diagnostic,
                        const std::string& referral = {}) {
    std::string body = ber_int(0x0A, code) + tlv(0x04, matched) + tlv(0x04, diagnostic);
    if (!referral.empty()) {
        body += tlv(0xA3, tlv(0x04, referral));
    }
    return body;
}

std::string message(long id, unsigned char op, const std::string& body) {
    return tlv(0x30, ber_int(0x02, id) + tlv(op, body));
}

bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

EchoLdapServer::EchoLdapServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        ::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
        throw std::runtime_error("echo ldap server: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

EchoLdapServer::~EchoLdapServer() {
    const char byte = 'x';
    (void)::write(stop_pipe_[1], &byte, 1);
    acceptor_.join();
    for (auto& t : connections_) {
        t.join();
    }
    ::close(listener_);
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
}

void EchoLdapServer::accept_loop() {
    for (;;) {
        pollfd fds[2] = {{listener_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (::poll(fds, 2, 1000) < 0) {
            continue;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            return;
        }
        if ((fds[0].revents & POLLIN) != 0) {
            const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                const std::lock_guard<std::mutex> lock(mutex_);
                connections_.emplace_back([this, fd] {
                    serve(fd);
                    ::close(fd);
                });
            }
        }
    }
}

void EchoLdapServer::serve(int fd) {
    std::string buffer;
    std::string password;  // the last one this connection sent
    for (;;) {
        // Parse every complete message in the buffer.
        for (;;) {
            std::size_t pos = 0;
            const auto msg = read_element(buffer, pos);
            if (!msg) {
                break;
            }
            buffer.erase(0, pos);
            std::size_t in = 0;
            const auto id = read_element(msg->value, in);
            const auto op = read_element(msg->value, in);
            if (!id || !op) {
                return;
            }
            const long message_id = int_value(id->value);
            std::string reply;
            if (op->tag == 0x60) {  // BindRequest: version, name, simple [0] password
                std::size_t p = 0;
                read_element(op->value, p);
                const auto name = read_element(op->value, p);
                const auto auth = read_element(op->value, p);
                const std::string sent = auth && auth->tag == 0x80 ? std::string(auth->value) : std::string();
                if (sent.empty()) {
                    reply = message(message_id, 0x61, ldap_result(0, "", ""));
                } else {
                    password = sent;
                    ++password_binds_;
                    const std::string who = name ? std::string(name->value) : std::string();
                    reply = message(message_id, 0x61,
                                    ldap_result(49, "CN=" + sent + ",DC=echo",
                                                "80090308: LdapErr: DSID-0C090447, comment: "
                                                "AcceptSecurityContext error, data 52e, v3839: '" +
                                                    who + "' sent password '" + sent + "'" +
                                                    transformed(sent),
                                                "ldap://echo.invalid/CN=" + sent));
                }
            } else if (op->tag == 0x63) {  // SearchRequest
                reply = message(message_id, 0x65,
                                ldap_result(50, password.empty() ? "" : "CN=" + password,
                                            "no access for password '" + password + "'" +
                                                transformed(password)));
            } else if (op->tag == 0x77) {  // ExtendedRequest (StartTLS): refused
                reply = message(message_id, 0x78, ldap_result(2, "", "no extended operations"));
            } else if (op->tag == 0x42) {  // UnbindRequest
                return;
            } else {
                continue;  // abandon and anything else: no answer
            }
            if (!send_all(fd, reply)) {
                return;
            }
        }
        if (buffer.size() > (1U << 20)) {
            return;
        }
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (::poll(fds, 2, 10000) <= 0 || (fds[1].revents & POLLIN) != 0) {
            return;
        }
        char chunk[4096];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return;
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace lisa::testing_support
