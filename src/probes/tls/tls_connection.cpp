// SPDX-License-Identifier: Apache-2.0
// The impure edge of the tls probe: sockets, STARTTLS and handshakes, every step bounded by a
// deadline (non-blocking sockets + poll). Nothing here turns observations into facts.
#include "tls_connection.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace lisa::tls_detail {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxPreamble = 64 * 1024;  // STARTTLS replies larger than this are abuse

std::string lower_first(std::string text) {
    if (!text.empty()) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

std::string errno_message(int error) {
    switch (error) {
        case ECONNREFUSED:
            return "connection refused";
        case ETIMEDOUT:
            return "connect timeout";
        case EHOSTUNREACH:
            return "host unreachable";
        case ENETUNREACH:
            return "network unreachable";
        case ECONNRESET:
            return "connection reset by peer";
        case EPIPE:
            return "connection closed by peer";
        default:
            return lower_first(std::strerror(error));
    }
}

std::string ms_text(milliseconds budget) { return std::to_string(budget.count()) + " ms"; }

std::string address_text(const sockaddr* address) {
    char host[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
        inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
        return std::string(host) + ":" + std::to_string(ntohs(v4->sin_port));
    }
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(v6->sin6_port));
}

Result<std::vector<Address>> lookup(const std::string& host, int port, bool numeric) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (numeric ? AI_NUMERICHOST : 0);
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
    if (rc != 0) {
        return Error{"cannot resolve " + host + ": " + lower_first(gai_strerror(rc))};
    }
    std::vector<Address> out;
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(sockaddr_storage)) {
            continue;
        }
        Address address;
        std::memcpy(&address.storage, ai->ai_addr, ai->ai_addrlen);
        address.size = ai->ai_addrlen;
        address.text = address_text(ai->ai_addr);
        out.push_back(std::move(address));
    }
    freeaddrinfo(found);
    if (out.empty()) {
        return Error{"cannot resolve " + host + ": no address"};
    }
    return out;
}

Result<Ok> send_all(int fd, const void* data, std::size_t size, Deadline deadline) {
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    while (size > 0) {
        const ssize_t sent = ::send(fd, bytes, size, MSG_NOSIGNAL);
        if (sent > 0) {
            bytes += sent;
            size -= static_cast<std::size_t>(sent);
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            auto ready = wait_io(fd, POLLOUT, deadline);
            if (!ready) {
                return ready.error();
            }
            continue;
        }
        return Error{errno_message(errno)};
    }
    return Ok{};
}

/// Reads what is available (at least one byte); Error on EOF, failure or deadline.
Result<std::size_t> recv_some(int fd, void* buffer, std::size_t size, Deadline deadline) {
    for (;;) {
        const ssize_t got = ::recv(fd, buffer, size, 0);
        if (got > 0) {
            return static_cast<std::size_t>(got);
        }
        if (got == 0) {
            return Error{"connection closed by peer"};
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
            auto ready = wait_io(fd, POLLIN, deadline);
            if (!ready) {
                return ready.error();
            }
            continue;
        }
        return Error{errno_message(errno)};
    }
}

std::atomic<std::uint64_t> g_connections{0};

Result<Socket> connect_to(const Address& address, Deadline deadline) {
    const auto* sa = reinterpret_cast<const sockaddr*>(&address.storage);
    g_connections.fetch_add(1, std::memory_order_relaxed);
    Socket socket{::socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    if (socket.fd() < 0) {
        return Error{errno_message(errno)};
    }
    const int one = 1;
    setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(socket.fd(), sa, address.size) != 0) {
        if (errno != EINPROGRESS && errno != EINTR) {
            return Error{errno_message(errno)};
        }
        auto ready = wait_io(socket.fd(), POLLOUT, deadline);
        if (!ready) {
            return ready.error();
        }
        int error = 0;
        socklen_t size = sizeof error;
        if (getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
            error = errno;
        }
        if (error != 0) {
            return Error{errno_message(error)};
        }
    }
    return socket;
}

// ---------------------------------------------------------------- STARTTLS

Result<Ok> ldap_starttls(int fd, Deadline deadline) {
    const auto request = ldap_starttls_request(1);
    if (auto sent = send_all(fd, request.data(), request.size(), deadline); !sent) {
        return sent.error();
    }
    std::vector<std::uint8_t> buffer;
    std::uint8_t chunk[4096];
    for (;;) {
        const LdapReply reply = parse_ldap_extended_response(buffer.data(), buffer.size());
        if (reply.kind == LdapReply::Kind::Done) {
            if (reply.result_code != 0) {
                std::string message =
                    "ldap starttls refused: result code " + std::to_string(reply.result_code);
                if (!reply.diagnostic.empty()) {
                    message += " (" + reply.diagnostic + ")";
                }
                return Error{message};
            }
            return Ok{};
        }
        if (reply.kind == LdapReply::Kind::Invalid || buffer.size() > kMaxPreamble) {
            return Error{"ldap starttls: unexpected answer from server"};
        }
        auto got = recv_some(fd, chunk, sizeof chunk, deadline);
        if (!got) {
            return got.error();
        }
        buffer.insert(buffer.end(), chunk, chunk + got.value());
    }
}

/// Reads one SMTP reply; `pending` keeps bytes past it (there should be none).
Result<SmtpReply> read_smtp_reply(int fd, std::string& pending, Deadline deadline) {
    char chunk[4096];
    for (;;) {
        SmtpReply reply = parse_smtp_reply(pending);
        if (reply.complete) {
            pending.erase(0, reply.consumed);
            return reply;
        }
        if (pending.size() > kMaxPreamble) {
            return Error{"smtp: reply too long"};
        }
        auto got = recv_some(fd, chunk, sizeof chunk, deadline);
        if (!got) {
            return got.error();
        }
        pending.append(chunk, got.value());
    }
}

std::string smtp_text(const SmtpReply& reply) {
    std::string text = std::to_string(reply.code);
    if (!reply.lines.empty()) {
        text += " " + reply.lines.front().substr(0, 120);
    }
    return text;
}

Result<Ok> smtp_starttls(int fd, Deadline deadline) {
    std::string pending;
    auto greeting = read_smtp_reply(fd, pending, deadline);
    if (!greeting) {
        return greeting.error();
    }
    if (greeting.value().code != 220) {
        return Error{"smtp greeting refused: " + smtp_text(greeting.value())};
    }
    static constexpr std::string_view kEhlo = "EHLO lisa.invalid\r\n";
    if (auto sent = send_all(fd, kEhlo.data(), kEhlo.size(), deadline); !sent) {
        return sent.error();
    }
    auto ehlo = read_smtp_reply(fd, pending, deadline);
    if (!ehlo) {
        return ehlo.error();
    }
    if (ehlo.value().code != 250) {
        return Error{"smtp ehlo refused: " + smtp_text(ehlo.value())};
    }
    const auto& lines = ehlo.value().lines;
    const bool offers = std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
        std::string word = line.substr(0, 8);
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        return word == "STARTTLS";
    });
    if (!offers) {
        return Error{"smtp server does not offer starttls"};
    }
    static constexpr std::string_view kStartTls = "STARTTLS\r\n";
    if (auto sent = send_all(fd, kStartTls.data(), kStartTls.size(), deadline); !sent) {
        return sent.error();
    }
    auto ready = read_smtp_reply(fd, pending, deadline);
    if (!ready) {
        return ready.error();
    }
    if (ready.value().code != 220) {
        return Error{"smtp starttls refused: " + smtp_text(ready.value())};
    }
    return Ok{};
}

// ---------------------------------------------------------------- OpenSSL handshakes

/// What the callbacks of one handshake saw.
struct Observed {
    bool server_spoke = false;
    bool cert_requested = false;
    bool ticket = false;
    int alert = -1;       ///< last alert description received
    int alert_level = 0;  ///< 1 warning, 2 fatal
    std::optional<ServerHello> hello;
    StringList ca_names;
    std::vector<std::uint8_t> staple;
};

/// Keeps the OCSP response a server stapled (only called when status_request was sent).
int on_ocsp_status(SSL* ssl, void* /*arg*/) {
    auto* seen = static_cast<Observed*>(SSL_get_ex_data(ssl, 0));
    const unsigned char* response = nullptr;
    const long size = SSL_get_tlsext_status_ocsp_resp(ssl, &response);
    if (seen != nullptr && response != nullptr && size > 0 && size <= 1024 * 1024) {
        seen->staple.assign(response, response + size);
    }
    return 1;  // never abort: lisa observes
}

void on_message(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len,
                SSL* /*ssl*/, void* arg) {
    if (write_p != 0 || arg == nullptr) {
        return;
    }
    auto* seen = static_cast<Observed*>(arg);
    const auto* bytes = static_cast<const std::uint8_t*>(buf);
    switch (content_type) {
        case SSL3_RT_HEADER:
            seen->server_spoke = true;
            break;
        case SSL3_RT_ALERT:
            if (len >= 2) {
                seen->alert_level = bytes[0];
                seen->alert = bytes[1];
            }
            break;
        case SSL3_RT_HANDSHAKE:
            if (len >= 1) {
                switch (bytes[0]) {
                    case SSL3_MT_SERVER_HELLO:
                        if (const auto hello = parse_server_hello_message(bytes, len);
                            hello && !hello->retry_request) {
                            seen->hello = hello;
                        }
                        break;
                    case SSL3_MT_CERTIFICATE_REQUEST:
                        seen->cert_requested = true;
                        break;
                    case SSL3_MT_NEWSESSION_TICKET:
                        seen->ticket = true;
                        break;
                    default:
                        break;
                }
            }
            break;
        default:
            break;
    }
}

int on_client_cert(SSL* ssl, X509** /*cert*/, EVP_PKEY** /*key*/) {
    auto* seen = static_cast<Observed*>(SSL_get_ex_data(ssl, 0));
    if (seen != nullptr) {
        seen->cert_requested = true;
        const STACK_OF(X509_NAME)* names = SSL_get0_peer_CA_list(ssl);
        if (names == nullptr) {
            names = SSL_get_client_CA_list(ssl);
        }
        seen->ca_names.clear();
        for (int i = 0; names != nullptr && i < sk_X509_NAME_num(names); ++i) {
            seen->ca_names.push_back(name_to_string(sk_X509_NAME_value(names, i)));
        }
    }
    return 0;  // we have no certificate: observe whether the server insists on one
}

std::string ssl_failure(int ssl_error, const Observed& seen) {
    const unsigned long code = ERR_peek_last_error();
    if (ssl_error == SSL_ERROR_SSL && code != 0) {
        // Bytes that are no TLS record: OpenSSL's words name a TLS detail; the user needs to know
        // the port speaks something else (plain HTTP, LDAP without TLS, …).
        const int reason_code = ERR_GET_REASON(code);
        const bool not_tls = ERR_GET_LIB(code) == ERR_LIB_SSL &&
                             (reason_code == SSL_R_WRONG_VERSION_NUMBER || reason_code == SSL_R_PACKET_LENGTH_TOO_LONG);
        if (const char* reason = ERR_reason_error_string(code)) {
            return std::string("handshake failed: ") + reason +
                   (not_tls ? " (the answer is not TLS: does this port speak plain HTTP or another protocol?)" : "");
        }
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        return std::string("handshake failed: ") + buffer;
    }
    if (ssl_error == SSL_ERROR_SYSCALL && errno != 0 && code == 0) {
        return "handshake failed: " + errno_message(errno);
    }
    if (ssl_error == SSL_ERROR_ZERO_RETURN || ssl_error == SSL_ERROR_SYSCALL) {
        return seen.server_spoke ? "handshake failed: connection closed by peer"
                                 : "connection closed by peer before any tls answer";
    }
    return "handshake failed: ssl error " + std::to_string(ssl_error);
}

/// Drives a non-blocking SSL operation until done, failed or past the deadline.
/// Returns 1 on success, 0 on failure (ssl_error set), -1 on timeout.
template <typename Operation>
int drive(SSL* ssl, int fd, Deadline deadline, Operation operation, int& ssl_error) {
    for (;;) {
        ERR_clear_error();
        errno = 0;
        const int rc = operation();
        if (rc > 0) {
            return 1;
        }
        ssl_error = SSL_get_error(ssl, rc);
        short events = 0;
        if (ssl_error == SSL_ERROR_WANT_READ) {
            events = POLLIN;
        } else if (ssl_error == SSL_ERROR_WANT_WRITE) {
            events = POLLOUT;
        } else {
            return 0;
        }
        if (!wait_io(fd, events, deadline)) {
            return -1;
        }
    }
}

/// An LDAP "Who am I?" extended request (RFC 4532; messageID 1), sent inside an LDAP endpoint's
/// TLS session so that the server answers at once: constant bytes, never parsed back.
constexpr std::uint8_t kLdapWhoAmI[] = {0x30, 0x1e, 0x02, 0x01, 0x01, 0x77, 0x19, 0x80, 0x17, '1', '.', '3',
                                        '.',  '6',  '.',  '1',  '.',  '4',  '.',  '1',  '.',  '4',  '2',  '0',
                                        '3',  '.',  '1',  '.',  '1',  '1',  '.',  '3'};

/// Sends kLdapWhoAmI before `deadline`; false when it could not be written (the read below then
/// waits quietly, as for any other protocol).
bool send_ldap_ping(SSL* ssl, int fd, Deadline deadline) {
    int ssl_error = 0;
    return drive(
               ssl, fd, deadline,
               [&] { return SSL_write(ssl, kLdapWhoAmI, static_cast<int>(sizeof kLdapWhoAmI)); },
               ssl_error) > 0;
}

/**
 * TLS 1.3 sends the server's verdict on our (empty) certificate after the handshake: an alert if
 * it insists on one, or session tickets if it does not. Reads until either arrives, the server
 * closes, or a short grace period (bounded by the timeout) passes quietly. A server that accepts
 * and sends no ticket (Samba's GnuTLS) is silent: on an LDAP endpoint (`ldap`) lisa asks it
 * something (kLdapWhoAmI) so that its answer, which can only come after the verdict it would
 * have sent first, ends the wait at once instead of the grace period.
 */
bool rejected_after_handshake(SSL* ssl, int fd, const Observed& seen, milliseconds budget,
                              Clock::duration handshake_time, bool ldap) {
    const auto grace = std::min<Clock::duration>(
        budget, std::max<Clock::duration>(milliseconds{150}, 4 * handshake_time));
    const Deadline deadline = Clock::now() + grace;
    if (ldap && !seen.ticket) {
        send_ldap_ping(ssl, fd, deadline);
    }
    std::uint8_t byte = 0;
    for (;;) {
        if (seen.ticket) {
            return false;
        }
        ERR_clear_error();
        const int rc = SSL_read(ssl, &byte, 1);
        if (rc > 0) {
            return false;  // the server talks to us: it accepted the session
        }
        const int error = SSL_get_error(ssl, rc);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            if (seen.ticket) {
                return false;
            }
            if (!wait_io(fd, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
                return false;  // quiet: nothing refused us
            }
            continue;
        }
        return true;  // alert, close_notify or a dropped connection right after our empty cert
    }
}

/// A configured client context, or null with `error` set. Contexts are immutable once made.
SslCtxPtr make_client_context(const HandshakeSpec& spec, std::string& error) {
    SslCtxPtr ctx{SSL_CTX_new(TLS_client_method())};
    if (!ctx) {
        ERR_clear_error();
        error = "cannot create tls context";
        return nullptr;
    }
    if (spec.legacy) {
        // We observe, we do not enforce: without this, old versions look refused when they
        // are not (our own client would decline SHA-1/MD5 signatures and small keys). Every
        // group and TLS 1.3 suite this OpenSSL has is offered too: a server whose certificate is
        // on a brainpool curve, or whose only group or suite is one OpenSSL's defaults leave out
        // (ffdhe, CCM), is observed, not refused. A name this build lacks keeps the defaults.
        SSL_CTX_set_security_level(ctx.get(), 0);
        if (SSL_CTX_set1_groups_list(ctx.get(), "x25519:secp256r1:x448:secp521r1:secp384r1:ffdhe2048:ffdhe3072:"
                                                "ffdhe4096:ffdhe6144:ffdhe8192:brainpoolP256r1:brainpoolP384r1:"
                                                "brainpoolP512r1") != 1 ||
            SSL_CTX_set_ciphersuites(ctx.get(), "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
                                                "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:"
                                                "TLS_AES_128_CCM_8_SHA256") != 1) {
            ERR_clear_error();
        }
    }
    if (spec.min_version != 0) {
        SSL_CTX_set_min_proto_version(ctx.get(), spec.min_version);
    }
    if (spec.max_version != 0) {
        SSL_CTX_set_max_proto_version(ctx.get(), spec.max_version);
    }
    if (!spec.cipher_list.empty() &&
        SSL_CTX_set_cipher_list(ctx.get(), spec.cipher_list.c_str()) != 1) {
        ERR_clear_error();
        error = "cipher list not supported by this openssl: " + spec.cipher_list;
        return nullptr;
    }
    if (!spec.sigalgs.empty() && SSL_CTX_set1_sigalgs_list(ctx.get(), spec.sigalgs.c_str()) != 1) {
        ERR_clear_error();
        error = "signature algorithms not supported by this openssl: " + spec.sigalgs;
        return nullptr;
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);  // the chain is judged separately
    SSL_CTX_set_client_cert_cb(ctx.get(), on_client_cert);
    SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);  // every handshake is full
    // SSL_CTX_set_tlsext_status_cb without its C cast.
    SSL_CTX_callback_ctrl(ctx.get(), SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB,
                          reinterpret_cast<void (*)()>(on_ocsp_status));
    return ctx;
}

/**
 * One SSL_CTX per kind of handshake (the HandshakeSpec's fields), made on first use and shared
 * by every later handshake of that kind in the process, from any thread: SSL_CTX_new and its
 * configuration cost about a third of a handshake's client instructions (issue 15). A context is
 * fully configured before it is published and never changed afterwards; SSL_new on a shared
 * context is thread-safe in OpenSSL 3. Per-connection state (SNI, callbacks' arguments) lives on
 * the SSL. The number of kinds is fixed by the probe's plan (a few dozen at most).
 */
SSL_CTX* client_context(const HandshakeSpec& spec, std::string& error) {
    struct Entry {
        SslCtxPtr ctx;
        std::string error;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> contexts;
    std::string key = std::to_string(spec.min_version) + '|' + std::to_string(spec.max_version) +
                      '|' + (spec.legacy ? '1' : '0') + '|' + spec.cipher_list + '|' + spec.sigalgs;
    const std::lock_guard<std::mutex> lock(mutex);
    auto found = contexts.find(key);
    if (found == contexts.end()) {
        Entry entry;
        entry.ctx = make_client_context(spec, entry.error);
        found = contexts.emplace(std::move(key), std::move(entry)).first;
    }
    error = found->second.error;
    return found->second.ctx.get();
}

}  // namespace

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

Socket::~Socket() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void block_sigpipe_in_this_thread() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SigpipeBlock::SigpipeBlock() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &previous_);
    was_blocked_ = sigismember(&previous_, SIGPIPE) == 1;
}

SigpipeBlock::~SigpipeBlock() {
    if (was_blocked_) {
        return;  // the caller blocked it: leave the mask and anything pending to the caller
    }
    sigset_t pending;
    sigemptyset(&pending);
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        const timespec now{0, 0};
        while (sigtimedwait(&set, nullptr, &now) == SIGPIPE) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

Result<std::vector<Address>> resolve(const std::string& host, int port, Deadline deadline) {
    std::string name = host;
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
        name = name.substr(1, name.size() - 2);
    }
    if (name.empty()) {
        return Error{"empty host"};
    }
    if (is_ip_literal(name)) {
        return lookup(name, port, true);
    }
    // getaddrinfo cannot be cancelled; run it aside and stop waiting at the deadline.
    struct Pending {
        std::mutex mutex;
        std::condition_variable done_cv;
        std::optional<Result<std::vector<Address>>> result;
    };
    auto pending = std::make_shared<Pending>();
    try {
        std::thread([pending, name, port] {
            auto result = lookup(name, port, false);
            const std::lock_guard<std::mutex> lock(pending->mutex);
            pending->result.emplace(std::move(result));
            pending->done_cv.notify_all();
        }).detach();
    } catch (const std::system_error&) {
        return lookup(name, port, false);
    }
    std::unique_lock<std::mutex> lock(pending->mutex);
    if (!pending->done_cv.wait_until(lock, deadline, [&] { return pending->result.has_value(); })) {
        return Error{"cannot resolve " + name + ": " + kTimeout};
    }
    return std::move(*pending->result);
}

Result<Ok> wait_io(int fd, short events, Deadline deadline) {
    for (;;) {
        const auto left = deadline - Clock::now();
        if (left <= Clock::duration::zero()) {
            return Error{kTimeout};
        }
        // Round up so we never spin on a sub-millisecond remainder.
        const auto ms = std::chrono::ceil<milliseconds>(left).count();
        pollfd pfd{fd, events, 0};
        const int rc = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(ms, 60'000)));
        if (rc > 0) {
            return Ok{};  // ready, or an error/hang-up the next call will report
        }
        if (rc < 0 && errno != EINTR) {
            return Error{errno_message(errno)};
        }
    }
}

std::optional<OpenFailure> open_connection(const Endpoint& endpoint, Deadline deadline,
                                           Socket& out) {
    if (endpoint.opened) {
        endpoint.opened->fetch_add(1, std::memory_order_relaxed);
    }
    auto connected = connect_to(endpoint.address, deadline);
    if (!connected) {
        const bool timeout = connected.error().message == kTimeout;
        return OpenFailure{Stage::Connect,
                           timeout ? "connect timeout after " + ms_text(endpoint.timeout)
                                   : connected.error().message,
                           timeout};
    }
    out = std::move(connected).value();
    if (endpoint.target.starttls == StartTls::None) {
        return std::nullopt;
    }
    // The plaintext exchange is its own operation with its own budget.
    const Deadline starttls_deadline = Clock::now() + endpoint.timeout;
    const auto done = endpoint.target.starttls == StartTls::Ldap
                          ? ldap_starttls(out.fd(), starttls_deadline)
                          : smtp_starttls(out.fd(), starttls_deadline);
    if (!done) {
        const bool timeout = done.error().message == kTimeout;
        std::string message = done.error().message;
        if (timeout) {
            message = "starttls timeout after " + ms_text(endpoint.timeout);
        } else if (message.find("starttls") == std::string::npos && message.rfind("smtp", 0) != 0) {
            message = "starttls: " + message;  // e.g. "starttls: connection closed by peer"
        }
        return OpenFailure{Stage::StartTls, std::move(message), timeout};
    }
    return std::nullopt;
}

namespace {

/// A session on `fd` from the shared context: the callbacks observe into `seen`, OCSP is asked
/// for when the spec says so, SNI is set. Null when OpenSSL cannot make one.
SslPtr new_session(SSL_CTX* ctx, int fd, const Endpoint& endpoint, const HandshakeSpec& spec, Observed& seen) {
    SslPtr ssl{SSL_new(ctx)};
    if (!ssl) {
        ERR_clear_error();
        return ssl;
    }
    SSL_set_ex_data(ssl.get(), 0, &seen);
    SSL_set_msg_callback(ssl.get(), on_message);
    SSL_set_msg_callback_arg(ssl.get(), &seen);
    SSL_set_fd(ssl.get(), fd);
    if (spec.request_ocsp) {
        SSL_set_tlsext_status_type(ssl.get(), TLSEXT_STATUSTYPE_ocsp);
    }
    if (!endpoint.sni.empty()) {
        // SSL_set_tlsext_host_name without its C cast: the name is only read.
        SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(endpoint.sni.c_str()));
    }
    return ssl;
}

/// Drives SSL_connect to its end and records how it ended: done (with version, cipher and, in
/// TLS 1.3, whether a client certificate was required after all), timed out, or failed.
void connect_and_record(SSL* ssl, int fd, const Endpoint& endpoint, Observed& seen, HandshakeOutcome& out) {
    const auto started = Clock::now();
    int ssl_error = 0;
    const int rc = drive(
        ssl, fd, started + endpoint.timeout, [&] { return SSL_connect(ssl); }, ssl_error);
    const auto handshake_time = Clock::now() - started;
    if (rc > 0) {
        out.stage = Stage::Done;
        out.version = SSL_get_version(ssl);
        if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
            out.cipher = SSL_CIPHER_get_name(cipher);
        }
        if (seen.cert_requested && SSL_version(ssl) == TLS1_3_VERSION) {
            const bool ldap = endpoint.target.starttls == StartTls::Ldap || endpoint.target.ldap;
            out.cert_required = rejected_after_handshake(ssl, fd, seen, endpoint.timeout, handshake_time, ldap);
        }
    } else if (rc < 0) {
        out.timeout = true;
        out.error = std::string(seen.server_spoke ? "handshake timeout after "
                                                  : "handshake timeout (no answer) after ") +
                    ms_text(endpoint.timeout);
    } else {
        out.error = ssl_failure(ssl_error, seen);
        // In TLS ≤ 1.2 a server that insists on a client certificate aborts the handshake.
        out.cert_required = seen.cert_requested;
    }
}

/// What the message callback saw, into the outcome; when the server got as far as asking for
/// our certificate, what it had negotiated.
void record_observed(SSL* ssl, Observed& seen, HandshakeOutcome& out) {
    out.server_spoke = seen.server_spoke;
    out.hello = seen.hello;
    out.cert_requested = seen.cert_requested;
    out.ca_names = seen.ca_names;
    out.staple = std::move(seen.staple);
    if (out.stage != Stage::Done && seen.cert_requested && seen.hello) {
        out.version = std::string(version_name(seen.hello->version));
        const std::uint8_t id[2] = {static_cast<std::uint8_t>(seen.hello->suite >> 8U),
                                    static_cast<std::uint8_t>(seen.hello->suite & 0xFFU)};
        if (const SSL_CIPHER* cipher = SSL_CIPHER_find(ssl, id)) {
            out.cipher = SSL_CIPHER_get_name(cipher);
        }
    }
}

}  // namespace

HandshakeOutcome run_handshake(const Endpoint& endpoint, const HandshakeSpec& spec) {
    HandshakeOutcome out;
    Socket socket;
    if (auto failure = open_connection(endpoint, Clock::now() + endpoint.timeout, socket)) {
        out.stage = failure->stage;
        out.error = std::move(failure->message);
        out.timeout = failure->timeout;
        return out;
    }
    out.stage = Stage::Handshake;

    std::string context_error;
    SSL_CTX* ctx = client_context(spec, context_error);
    if (ctx == nullptr) {
        out.error = std::move(context_error);
        return out;
    }
    Observed seen;
    SslPtr ssl = new_session(ctx, socket.fd(), endpoint, spec, seen);
    if (!ssl) {
        out.error = "cannot create tls session";
        return out;
    }
    connect_and_record(ssl.get(), socket.fd(), endpoint, seen, out);
    record_observed(ssl.get(), seen, out);
    if (spec.keep_certificate) {
        out.leaf.reset(SSL_get1_peer_certificate(ssl.get()));
        if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get())) {
            out.chain.reset(X509_chain_up_ref(chain));
        }
    }
    if (out.stage == Stage::Done && !out.cert_required) {
        SSL_shutdown(ssl.get());  // one non-blocking close_notify; we do not wait for the peer's
    }
    SSL_set_msg_callback_arg(ssl.get(), nullptr);
    ERR_clear_error();
    return out;
}

RawHelloOutcome raw_hello(const Endpoint& endpoint, const std::vector<std::uint16_t>& suites) {
    HelloSpec spec;
    spec.suites = suites;
    return raw_hello(endpoint, spec, ReadTo::Hello);
}

std::uint64_t connections_opened() noexcept {
    return g_connections.load(std::memory_order_relaxed);
}

RawHelloOutcome raw_ssl2_hello(const Endpoint& endpoint) {
    RawHelloOutcome out;
    Socket socket;
    if (auto failure = open_connection(endpoint, Clock::now() + endpoint.timeout, socket)) {
        out.stage = failure->stage;
        out.error = std::move(failure->message);
        out.timeout = failure->timeout;
        return out;
    }
    out.stage = Stage::Handshake;
    std::array<std::uint8_t, 16> challenge{};
    if (RAND_bytes(challenge.data(), static_cast<int>(challenge.size())) != 1) {
        ERR_clear_error();
    }
    const auto hello = build_ssl2_client_hello(challenge);
    const Deadline deadline = Clock::now() + endpoint.timeout;
    if (auto sent = send_all(socket.fd(), hello.data(), hello.size(), deadline); !sent) {
        out.stage = Stage::Done;  // hung up on the hello: refused
        return out;
    }
    std::vector<std::uint8_t> buffer;
    std::uint8_t chunk[4096];
    for (;;) {
        if (const auto ssl2 = is_ssl2_server_hello(buffer.data(), buffer.size())) {
            out.stage = Stage::Done;
            if (*ssl2) {
                ServerHello spoke;
                spoke.version = kSsl2;
                out.hello = spoke;
            }
            return out;
        }
        auto got = recv_some(socket.fd(), chunk, sizeof chunk, deadline);
        if (!got) {
            if (got.error().message == kTimeout) {
                out.timeout = true;
                out.error = "handshake timeout after " + ms_text(endpoint.timeout);
            } else {
                out.stage = Stage::Done;  // a server that hangs up on the hello refused it
            }
            return out;
        }
        buffer.insert(buffer.end(), chunk, chunk + got.value());
    }
}

RawHelloOutcome raw_hello(const Endpoint& endpoint, const HelloSpec& spec, ReadTo read_to) {
    RawHelloOutcome out;
    Socket socket;
    if (auto failure = open_connection(endpoint, Clock::now() + endpoint.timeout, socket)) {
        out.stage = failure->stage;
        out.error = std::move(failure->message);
        out.timeout = failure->timeout;
        return out;
    }
    out.stage = Stage::Handshake;
    std::array<std::uint8_t, 32> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        ERR_clear_error();
    }
    const auto hello = build_client_hello(spec, endpoint.sni, random);
    const Deadline deadline = Clock::now() + endpoint.timeout;
    if (auto sent = send_all(socket.fd(), hello.data(), hello.size(), deadline); !sent) {
        out.error = "handshake failed: " + sent.error().message;
        return out;
    }
    std::vector<std::uint8_t> buffer;
    std::uint8_t chunk[4096];
    ServerReply reply;
    // What was read before the server broke off: its ServerHello, when it had sent one, stands.
    const auto answered = [&]() {
        out.stage = Stage::Done;
        out.hello = reply.hello;
        out.ske_group = reply.ske_group;
        out.ske_dh_prime = reply.ske_dh_prime;
        out.cert_request = reply.cert_request;
        out.flight_complete = reply.flight_complete;
        return out;
    };
    for (;;) {
        reply = parse_server_reply(buffer.data(), buffer.size(), read_to);
        switch (reply.kind) {
            case ServerReply::Kind::Hello:
                return answered();
            case ServerReply::Kind::Alert:
                out.stage = Stage::Done;  // refused, in TLS
                out.alert = reply.alert;
                return out;
            case ServerReply::Kind::Invalid:
                out.stage = Stage::Done;
                out.error = "not a tls answer";
                return out;
            case ServerReply::Kind::NeedMore:
                break;
        }
        if (buffer.size() > 256 * 1024) {
            if (reply.hello_read) {
                reply.flight_complete = false;
                return answered();
            }
            out.stage = Stage::Done;
            out.error = "not a tls answer";
            return out;
        }
        auto got = recv_some(socket.fd(), chunk, sizeof chunk, deadline);
        if (!got && reply.hello_read) {
            reply.flight_complete = false;  // answered at that version, then hung up or went silent
            return answered();
        }
        if (!got) {
            if (got.error().message == kTimeout) {
                out.timeout = true;
                out.error = "handshake timeout after " + ms_text(endpoint.timeout);
            } else {
                out.stage = Stage::Done;  // a server that hangs up on a hello refused it
                out.error = got.error().message;
            }
            return out;
        }
        buffer.insert(buffer.end(), chunk, chunk + got.value());
    }
}

}  // namespace lisa::tls_detail
