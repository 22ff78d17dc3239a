// SPDX-License-Identifier: Apache-2.0
// Pure: the weak cipher class table and the few byte formats the tls probe writes and reads
// itself. No sockets here; tls_connection.cpp moves the bytes.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "tls_detail.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace lisa::tls_detail {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put_u8(Bytes& out, unsigned value) { out.push_back(static_cast<std::uint8_t>(value & 0xFFU)); }
void put_u16(Bytes& out, unsigned value) {
    put_u8(out, value >> 8U);
    put_u8(out, value);
}
void put_u24(Bytes& out, unsigned value) {
    put_u8(out, value >> 16U);
    put_u16(out, value);
}
unsigned get_u16(const std::uint8_t* p) { return (unsigned{p[0]} << 8U) | unsigned{p[1]}; }
unsigned get_u24(const std::uint8_t* p) { return (unsigned{p[0]} << 16U) | get_u16(p + 1); }

/// Appends an extension: type, 2-byte length, body.
void put_extension(Bytes& out, unsigned type, const Bytes& body) {
    put_u16(out, type);
    put_u16(out, static_cast<unsigned>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
}

// IANA TLS cipher suite registry, by weak class. A suite may sit in several classes
// (TLS_DH_anon_EXPORT_WITH_RC4_40_MD5 is anon, export and rc4).
const std::vector<std::uint16_t> kNullSuites = {
    0x0001, 0x0002, 0x002C, 0x002D, 0x002E, 0x003B, 0x00B0, 0x00B1, 0x00B4, 0x00B5,
    0x00B8, 0x00B9, 0xC001, 0xC006, 0xC00B, 0xC010, 0xC015, 0xC039, 0xC03A, 0xC03B};
const std::vector<std::uint16_t> kAnonSuites = {
    0x0017, 0x0018, 0x0019, 0x001A, 0x001B, 0x0034, 0x003A, 0x0046, 0x006C,
    0x006D, 0x0089, 0x009B, 0x00A6, 0x00A7, 0x00BF, 0x00C5, 0xC015, 0xC016,
    0xC017, 0xC018, 0xC019, 0xC046, 0xC047, 0xC05A, 0xC05B, 0xC084, 0xC085};
const std::vector<std::uint16_t> kExportSuites = {
    0x0003, 0x0006, 0x0008, 0x000B, 0x000E, 0x0011, 0x0014, 0x0017, 0x0019, 0x0026, 0x0027,
    0x0028, 0x0029, 0x002A, 0x002B, 0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065};
const std::vector<std::uint16_t> kRc4Suites = {
    0x0003, 0x0004, 0x0005, 0x0017, 0x0018, 0x0020, 0x0024, 0x0028, 0x002B, 0x0064, 0x0065,
    0x0066, 0x008A, 0x008E, 0x0092, 0xC002, 0xC007, 0xC00C, 0xC011, 0xC016, 0xC033};
const std::vector<std::uint16_t> kDesSuites = {
    0x0009, 0x000C, 0x000F, 0x0012, 0x0015, 0x001A, 0x001E, 0x0022, 0x0062, 0x0063,
    // 40-bit DES export suites are single DES too
    0x0008, 0x000B, 0x000E, 0x0011, 0x0014, 0x0019, 0x0026, 0x0029};
const std::vector<std::uint16_t> kTripleDesSuites = {
    0x000A, 0x000D, 0x0010, 0x0013, 0x0016, 0x001B, 0x001F, 0x0023, 0x008B, 0x008F,
    0x0093, 0xC003, 0xC008, 0xC00D, 0xC012, 0xC017, 0xC01A, 0xC01B, 0xC01C, 0xC034};

constexpr std::array<std::uint8_t, 32> kHelloRetryRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

constexpr std::uint8_t kRecordAlert = 21;
constexpr std::uint8_t kRecordHandshake = 22;
constexpr std::size_t kMaxRecord = 16384 + 2048;

/// A BER tag-length header.
struct Tlv {
    enum class Kind { NeedMore, Ok, Invalid };
    Kind kind = Kind::NeedMore;
    std::uint8_t tag = 0;
    std::size_t header = 0;
    std::size_t length = 0;
};

Tlv read_tlv(const std::uint8_t* data, std::size_t size) {
    Tlv tlv;
    if (size < 2) {
        return tlv;
    }
    tlv.tag = data[0];
    const std::uint8_t first = data[1];
    if (first < 0x80) {
        tlv.length = first;
        tlv.header = 2;
    } else {
        const std::size_t count = first & 0x7FU;
        if (count == 0 || count > 4) {
            tlv.kind = Tlv::Kind::Invalid;  // indefinite length is not allowed in LDAP
            return tlv;
        }
        if (size < 2 + count) {
            return tlv;
        }
        for (std::size_t i = 0; i < count; ++i) {
            tlv.length = (tlv.length << 8U) | data[2 + i];
        }
        tlv.header = 2 + count;
    }
    tlv.kind = Tlv::Kind::Ok;
    return tlv;
}

}  // namespace

std::string_view to_string(WeakClass weak) noexcept {
    switch (weak) {
        case WeakClass::Null:
            return "null";
        case WeakClass::Anon:
            return "anon";
        case WeakClass::Export:
            return "export";
        case WeakClass::Rc4:
            return "rc4";
        case WeakClass::Des:
            return "des";
        case WeakClass::TripleDes:
            return "3des";
    }
    return "null";
}

std::string_view openssl_cipher_string(WeakClass weak) noexcept {
    switch (weak) {
        case WeakClass::Null:
            return "eNULL";
        // Anonymous ECDH first: the server then skips a slow finite-field DH key generation.
        case WeakClass::Anon:
            return "AECDH:aNULL";
        case WeakClass::Export:
            return "EXP";
        case WeakClass::Rc4:
            return "RC4";
        case WeakClass::Des:
            return "DES";
        case WeakClass::TripleDes:
            return "3DES";
    }
    return "eNULL";
}

const std::vector<std::uint16_t>& iana_suites(WeakClass weak) {
    switch (weak) {
        case WeakClass::Null:
            return kNullSuites;
        case WeakClass::Anon:
            return kAnonSuites;
        case WeakClass::Export:
            return kExportSuites;
        case WeakClass::Rc4:
            return kRc4Suites;
        case WeakClass::Des:
            return kDesSuites;
        case WeakClass::TripleDes:
            return kTripleDesSuites;
    }
    return kNullSuites;
}

unsigned weak_classes_of(std::uint16_t suite) {
    unsigned classes = 0;
    for (const WeakClass weak : kWeakClasses) {
        const auto& suites = iana_suites(weak);
        if (std::find(suites.begin(), suites.end(), suite) != suites.end()) {
            classes |= bit(weak);
        }
    }
    return classes;
}

std::string_view version_name(std::uint16_t version) noexcept {
    switch (version) {
        case kTls10:
            return "TLSv1";
        case kTls11:
            return "TLSv1.1";
        case kTls12:
            return "TLSv1.2";
        case kTls13:
            return "TLSv1.3";
        default:
            return "unknown";
    }
}

std::vector<std::uint8_t> build_client_hello(const std::vector<std::uint16_t>& suites,
                                             std::string_view sni,
                                             const std::array<std::uint8_t, 32>& random) {
    HelloSpec spec;
    spec.suites = suites;
    return build_client_hello(spec, sni, random);
}

namespace {

/// The ClientHello body up to its extensions: version, random, no session id, the suites with
/// the signalling suites, and the compression methods.
void put_hello_head(Bytes& body, const HelloSpec& spec, const std::array<std::uint8_t, 32>& random) {
    const bool tls13 = spec.version >= kTls13;
    put_u16(body, tls13 ? kTls12 : spec.version);
    body.insert(body.end(), random.begin(), random.end());
    put_u8(body, 0);  // no session id
    const std::size_t scsvs = 1 + (spec.fallback_scsv ? 1 : 0);
    put_u16(body, static_cast<unsigned>((spec.suites.size() + scsvs) * 2));
    for (const std::uint16_t suite : spec.suites) {
        put_u16(body, suite);
    }
    if (spec.fallback_scsv) {
        put_u16(body, kScsvFallback);
    }
    put_u16(body, kScsvRenegotiation);  // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    if (spec.offer_compression && !tls13) {
        put_u8(body, 2);
        put_u8(body, 1);  // DEFLATE
        put_u8(body, 0);  // null
    } else {
        put_u8(body, 1);
        put_u8(body, 0);  // null compression
    }
}

/// server_name, for a host name (never an IP literal) that fits.
void put_server_name(Bytes& extensions, std::string_view sni) {
    if (sni.empty() || is_ip_literal(sni) || sni.size() >= 256) {
        return;
    }
    Bytes server_name;
    put_u16(server_name, static_cast<unsigned>(sni.size() + 3));
    put_u8(server_name, 0);  // host_name
    put_u16(server_name, static_cast<unsigned>(sni.size()));
    server_name.insert(server_name.end(), sni.begin(), sni.end());
    put_extension(extensions, 0x0000, server_name);
}

/// supported_groups, ec_point_formats and signature_algorithms, as real clients send them.
void put_groups_and_sigalgs(Bytes& extensions, const std::vector<std::uint16_t>& group_ids) {
    Bytes groups;
    put_u16(groups, static_cast<unsigned>(group_ids.size() * 2));
    for (const unsigned group : group_ids) {
        put_u16(groups, group);
    }
    put_extension(extensions, 0x000A, groups);
    put_extension(extensions, 0x000B, Bytes{1, 0});  // ec_point_formats: uncompressed
    // Every signature scheme a server's certificate may need (IANA TLS SignatureScheme): a
    // server refuses a hello lacking its certificate's scheme, and that refusal would read as the
    // version or the suites refused — RSA-PSS (rsa_pss_pss_*), Ed448 and brainpool certificates
    // included, and the legacy SHA-1/SHA-224 and DSA ones old servers sign with.
    Bytes sigalgs;
    static constexpr std::array<unsigned, 26> sigalg_ids = {
        0x0403, 0x0503, 0x0603,  // ecdsa_secp256r1_sha256 … secp521r1_sha512
        0x0807, 0x0808,          // ed25519, ed448
        0x0804, 0x0805, 0x0806,  // rsa_pss_rsae_sha256 … sha512
        0x0809, 0x080A, 0x080B,  // rsa_pss_pss_sha256 … sha512
        0x081A, 0x081B, 0x081C,  // ecdsa_brainpoolP256r1tls13_sha256 … P512r1tls13_sha512
        0x0401, 0x0501, 0x0601,  // rsa_pkcs1_sha256 … sha512
        0x0303, 0x0301, 0x0302,  // SHA-224: ecdsa, rsa, dsa
        0x0201, 0x0203, 0x0202,  // SHA-1: rsa_pkcs1_sha1, ecdsa_sha1, dsa
        0x0402, 0x0502, 0x0602,  // dsa with SHA-256 … SHA-512
    };
    put_u16(sigalgs, static_cast<unsigned>(sigalg_ids.size() * 2));
    for (const unsigned sigalg : sigalg_ids) {
        put_u16(sigalgs, sigalg);
    }
    put_extension(extensions, 0x000D, sigalgs);
}

/// supported_versions (1.3 only), a key share and psk_key_exchange_modes.
void put_tls13_extensions(Bytes& extensions, const std::vector<std::uint16_t>& group_ids,
                          const std::array<std::uint8_t, 32>& random) {
    put_extension(extensions, 0x002B, Bytes{2, 0x03, 0x04});  // supported_versions
    Bytes shares;
    if (std::find(group_ids.begin(), group_ids.end(), 0x001D) != group_ids.end()) {
        // An x25519 share of 32 bytes: any value is a valid public key (RFC 7748 §5);
        // the server needs nothing else to answer with its ServerHello.
        put_u16(shares, 2 + 2 + 32);
        put_u16(shares, 0x001D);
        put_u16(shares, 32);
        for (std::size_t i = 0; i < 32; ++i) {
            shares.push_back(static_cast<std::uint8_t>(random[i] ^ 0x5A));
        }
    } else {
        put_u16(shares, 0);  // no share: the server names its group in a retry request
    }
    put_extension(extensions, 0x0033, shares);
    put_extension(extensions, 0x002D, Bytes{1, 1});  // psk_key_exchange_modes: psk_dhe_ke
}

/// The hello's extensions; none for SSL 3.0 (its servers may choke on extensions).
Bytes hello_extensions(const HelloSpec& spec, std::string_view sni, const std::array<std::uint8_t, 32>& random) {
    Bytes extensions;
    if (spec.version == kSsl3) {
        return extensions;
    }
    put_server_name(extensions, sni);
    // Every group lisa names (x25519 first, the one a key share is sent for): a server whose only
    // group the hello lacks refuses it, which would read as the version or the suites refused.
    const auto& group_ids = spec.groups.empty() ? enumeration_groups() : spec.groups;
    put_groups_and_sigalgs(extensions, group_ids);
    if (spec.status_request) {
        put_extension(extensions, 0x0005, Bytes{1, 0, 0, 0, 0});  // ocsp, no ids, no exts
    }
    // Every extension type OpenSSL's own client sends, so that a server wanting one of them
    // answers lisa's hello as it answers OpenSSL's handshake.
    put_extension(extensions, 0x0023, Bytes{});  // session_ticket, empty
    put_extension(extensions, 0x0016, Bytes{});  // encrypt_then_mac
    put_extension(extensions, 0x0017, Bytes{});  // extended_master_secret
    if (spec.version >= kTls13) {
        put_tls13_extensions(extensions, group_ids, random);
    }
    return extensions;
}

}  // namespace

std::vector<std::uint8_t> build_client_hello(const HelloSpec& spec, std::string_view sni,
                                             const std::array<std::uint8_t, 32>& random) {
    Bytes body;
    put_hello_head(body, spec, random);
    const Bytes extensions = hello_extensions(spec, sni, random);
    if (!extensions.empty()) {
        put_u16(body, static_cast<unsigned>(extensions.size()));
        body.insert(body.end(), extensions.begin(), extensions.end());
    }

    Bytes record;
    put_u8(record, kRecordHandshake);
    // Record layer version: TLS 1.0 as real clients send it; 3.0 for an SSL 3.0 hello.
    put_u16(record, spec.version == kSsl3 ? kSsl3 : kTls10);
    put_u16(record, static_cast<unsigned>(body.size() + 4));
    put_u8(record, 1);  // client_hello
    put_u24(record, static_cast<unsigned>(body.size()));
    record.insert(record.end(), body.begin(), body.end());
    return record;
}

std::vector<std::uint8_t> build_ssl2_client_hello(const std::array<std::uint8_t, 16>& challenge) {
    // Every SSL 2.0 cipher kind (RC4, RC2, IDEA, DES, 3DES and their export variants).
    static constexpr std::array<std::uint32_t, 7> kKinds = {0x010080, 0x020080, 0x030080, 0x040080,
                                                            0x050080, 0x060040, 0x0700C0};
    Bytes message;
    put_u8(message, 1);          // CLIENT-HELLO
    put_u16(message, kSsl2);     // version 2
    put_u16(message, static_cast<unsigned>(kKinds.size() * 3));
    put_u16(message, 0);         // session id length
    put_u16(message, static_cast<unsigned>(challenge.size()));
    for (const std::uint32_t kind : kKinds) {
        put_u24(message, kind);
    }
    message.insert(message.end(), challenge.begin(), challenge.end());
    Bytes record;
    put_u16(record, 0x8000U | static_cast<unsigned>(message.size()));  // 2-byte header
    record.insert(record.end(), message.begin(), message.end());
    return record;
}

std::optional<bool> is_ssl2_server_hello(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return std::nullopt;
    }
    if ((data[0] & 0x80U) == 0) {
        return false;  // a TLS record (alert) or anything else: not SSL 2.0
    }
    // 2-byte header, then SERVER-HELLO: type 4, session_id_hit, certificate_type, version (2),
    // certificate_length (2), cipher_specs_length (2), connection_id_length (2).
    if (size < 2 + 11) {
        return std::nullopt;
    }
    const std::uint8_t* m = data + 2;
    if (m[0] != 4 || get_u16(m + 3) != kSsl2) {
        return false;
    }
    return get_u16(m + 7) >= 3;  // at least one cipher kind
}

std::optional<ServerHello> parse_server_hello_message(const std::uint8_t* data, std::size_t size) {
    if (size < 4 || data[0] != 2) {
        return std::nullopt;
    }
    const std::size_t length = get_u24(data + 1);
    if (size < 4 + length || length < 2 + 32 + 1) {
        return std::nullopt;
    }
    const std::uint8_t* p = data + 4;
    const std::uint8_t* const end = p + length;
    ServerHello hello;
    hello.version = static_cast<std::uint16_t>(get_u16(p));
    hello.retry_request = std::equal(kHelloRetryRandom.begin(), kHelloRetryRandom.end(), p + 2);
    p += 2 + 32;
    const std::size_t session_id = *p++;
    if (end - p < static_cast<std::ptrdiff_t>(session_id + 3)) {
        return std::nullopt;
    }
    p += session_id;
    hello.suite = static_cast<std::uint16_t>(get_u16(p));
    hello.compression = p[2];
    p += 3;  // suite + compression method
    if (end - p >= 2) {
        const std::size_t ext_total = get_u16(p);
        p += 2;
        const std::uint8_t* const ext_end = std::min(end, p + ext_total);
        while (ext_end - p >= 4) {
            const unsigned type = get_u16(p);
            const std::size_t ext_size = get_u16(p + 2);
            p += 4;
            if (ext_end - p < static_cast<std::ptrdiff_t>(ext_size)) {
                break;
            }
            if (type == 0x002B && ext_size == 2) {  // supported_versions
                hello.version = static_cast<std::uint16_t>(get_u16(p));
            } else if (type == 0xFF01) {  // renegotiation_info (RFC 5746 §3.6)
                hello.renegotiation_info = true;
            } else if (type == 0x0005) {  // status_request (RFC 6066 §8)
                hello.status_request = true;
            } else if (type == 0x0033 && ext_size >= 2) {  // key_share: group first (RFC 8446)
                hello.group = static_cast<std::uint16_t>(get_u16(p));
            }
            p += ext_size;
        }
    }
    return hello;
}

namespace {

/// The read ends at an alert or at bytes that are not TLS: after the ServerHello the version was
/// answered (Hello, flight incomplete), before it the hello was refused or not understood.
ServerReply& end_early(ServerReply& reply, ServerReply::Kind before_hello) {
    if (reply.hello_read) {
        reply.kind = ServerReply::Kind::Hello;
        reply.flight_complete = false;
    } else {
        reply.kind = before_hello;
    }
    return reply;
}

/// How far the walk over the handshake messages after the ServerHello got.
enum class KeyExchangeWalk { NeedMore, Found, Invalid };

/// Walks the messages after the ServerHello (from `at`) to the ServerKeyExchange, whose DH
/// prime or named group goes into `reply`, or (ReadTo::HelloDone, or no key exchange message:
/// RSA) on to the ServerHelloDone, noting a CertificateRequest. A certificate may span several
/// records.
KeyExchangeWalk read_key_exchange(const Bytes& handshake, std::size_t at, const ServerHello& hello,
                                  ReadTo read_to, ServerReply& reply) {
    while (handshake.size() - at >= 4) {
        const std::uint8_t message_type = handshake[at];
        const std::size_t body = get_u24(handshake.data() + at + 1);
        if (body > 256 * 1024) {
            return KeyExchangeWalk::Invalid;
        }
        if (handshake.size() - at - 4 < body) {
            return KeyExchangeWalk::NeedMore;
        }
        const std::uint8_t* m = handshake.data() + at + 4;
        if (message_type == 12) {  // ServerKeyExchange
            if (dhe_suite(hello.suite)) {  // ServerDHParams: dh_p<1..2^16-1>, dh_g, dh_Ys
                const std::size_t prime = body >= 2 ? get_u16(m) : 0;
                if (prime > 0 && 2 + prime <= body) reply.ske_dh_prime.assign(m + 2, m + 2 + prime);
            } else if (body >= 3 && m[0] == 3) {  // curve_type named_curve
                reply.ske_group = static_cast<std::uint16_t>(get_u16(m + 1));
            }
            if (read_to == ReadTo::KeyExchange) {
                return KeyExchangeWalk::Found;
            }
        }
        if (message_type == 13) {  // CertificateRequest
            reply.cert_request = true;
        }
        if (message_type == 14) {  // ServerHelloDone: the flight's end
            return KeyExchangeWalk::Found;
        }
        at += 4 + body;
    }
    return KeyExchangeWalk::NeedMore;
}

/// Reads the handshake bytes gathered so far: true when the reply is decided (`reply.kind`
/// Hello or Invalid), false when more records are needed.
bool read_handshake(const Bytes& handshake, ReadTo read_to, ServerReply& reply) {
    if (handshake.size() < 4) {
        return false;
    }
    if (handshake[0] != 2) {
        reply.kind = ServerReply::Kind::Invalid;
        return true;
    }
    const std::size_t hello_size = 4 + get_u24(handshake.data() + 1);
    if (handshake.size() < hello_size) {
        return false;
    }
    const auto hello = parse_server_hello_message(handshake.data(), hello_size);
    if (!hello) {
        reply.kind = ServerReply::Kind::Invalid;
        return true;
    }
    reply.hello = *hello;
    reply.hello_read = true;
    if (read_to == ReadTo::Hello || hello->version > kTls12 || hello->retry_request) {
        reply.kind = ServerReply::Kind::Hello;
        return true;
    }
    switch (read_key_exchange(handshake, hello_size, *hello, read_to, reply)) {
        case KeyExchangeWalk::Found:
            reply.kind = ServerReply::Kind::Hello;
            return true;
        case KeyExchangeWalk::Invalid:
            end_early(reply, ServerReply::Kind::Invalid);
            return true;
        case KeyExchangeWalk::NeedMore:
            break;
    }
    return false;
}

}  // namespace

ServerReply parse_server_reply(const std::uint8_t* data, std::size_t size, ReadTo read_to) {
    ServerReply reply;
    Bytes handshake;
    std::size_t offset = 0;
    while (size - offset >= 5) {
        const std::uint8_t type = data[offset];
        const std::size_t length = get_u16(data + offset + 3);
        if ((type != kRecordAlert && type != kRecordHandshake) || data[offset + 1] != 3 ||
            length > kMaxRecord) {
            return end_early(reply, ServerReply::Kind::Invalid);  // not TLS (or SSLv2, or something odd)
        }
        if (size - offset - 5 < length) {
            return reply;  // NeedMore
        }
        const std::uint8_t* payload = data + offset + 5;
        offset += 5 + length;
        if (type == kRecordAlert) {
            if (length < 2) {
                return end_early(reply, ServerReply::Kind::Invalid);
            }
            reply.alert = payload[1];
            return end_early(reply, ServerReply::Kind::Alert);
        }
        handshake.insert(handshake.end(), payload, payload + length);
        if (read_handshake(handshake, read_to, reply)) {
            return reply;
        }
    }
    if (size >= 1 && data[0] != kRecordAlert && data[0] != kRecordHandshake) {
        reply.kind = ServerReply::Kind::Invalid;
    }
    return reply;
}

std::vector<std::uint8_t> ldap_starttls_request(int message_id) {
    static constexpr std::string_view kOid = "1.3.6.1.4.1.1466.20037";
    const unsigned id = static_cast<unsigned>(std::clamp(message_id, 1, 127));
    Bytes request_name;
    put_u8(request_name, 0x80);  // [0] requestName, primitive
    put_u8(request_name, static_cast<unsigned>(kOid.size()));
    request_name.insert(request_name.end(), kOid.begin(), kOid.end());
    Bytes message;
    put_u8(message, 0x02);  // messageID INTEGER
    put_u8(message, 1);
    put_u8(message, id);
    put_u8(message, 0x77);  // [APPLICATION 23] ExtendedRequest, constructed
    put_u8(message, static_cast<unsigned>(request_name.size()));
    message.insert(message.end(), request_name.begin(), request_name.end());
    Bytes out;
    put_u8(out, 0x30);
    put_u8(out, static_cast<unsigned>(message.size()));
    out.insert(out.end(), message.begin(), message.end());
    return out;
}

LdapReply parse_ldap_extended_response(const std::uint8_t* data, std::size_t size) {
    LdapReply reply;
    const Tlv outer = read_tlv(data, size);
    if (outer.kind != Tlv::Kind::Ok) {
        reply.kind =
            outer.kind == Tlv::Kind::Invalid ? LdapReply::Kind::Invalid : LdapReply::Kind::NeedMore;
        return reply;
    }
    if (outer.tag != 0x30 || outer.length > 65536) {
        reply.kind = LdapReply::Kind::Invalid;
        return reply;
    }
    if (size < outer.header + outer.length) {
        return reply;  // NeedMore
    }
    reply.consumed = outer.header + outer.length;
    reply.kind = LdapReply::Kind::Invalid;  // until proven otherwise

    const std::uint8_t* p = data + outer.header;
    const std::uint8_t* const end = p + outer.length;
    const auto next = [&](std::uint8_t expected_tag) -> std::optional<Tlv> {
        const Tlv tlv = read_tlv(p, static_cast<std::size_t>(end - p));
        if (tlv.kind != Tlv::Kind::Ok || tlv.tag != expected_tag ||
            static_cast<std::size_t>(end - p) < tlv.header + tlv.length) {
            return std::nullopt;
        }
        return tlv;
    };
    const auto message_id = next(0x02);
    if (!message_id) {
        return reply;
    }
    p += message_id->header + message_id->length;
    const auto op = next(0x78);  // [APPLICATION 24] ExtendedResponse
    if (!op) {
        return reply;
    }
    p += op->header;
    const auto code = next(0x0A);  // resultCode ENUMERATED
    if (!code || code->length == 0 || code->length > 4) {
        return reply;
    }
    int result = 0;
    for (std::size_t i = 0; i < code->length; ++i) {
        result = (result << 8) | p[code->header + i];
    }
    p += code->header + code->length;
    reply.result_code = result;
    if (const auto matched = next(0x04)) {
        p += matched->header + matched->length;
        if (const auto diagnostic = next(0x04)) {
            reply.diagnostic.assign(reinterpret_cast<const char*>(p + diagnostic->header),
                                    diagnostic->length);
        }
    }
    reply.kind = LdapReply::Kind::Done;
    return reply;
}

SmtpReply parse_smtp_reply(std::string_view data) {
    SmtpReply reply;
    std::size_t offset = 0;
    while (offset < data.size()) {
        const std::size_t newline = data.find('\n', offset);
        if (newline == std::string_view::npos) {
            return SmtpReply{};  // NeedMore
        }
        std::string_view line = data.substr(offset, newline - offset);
        offset = newline + 1;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
            !std::isdigit(static_cast<unsigned char>(line[1])) ||
            !std::isdigit(static_cast<unsigned char>(line[2]))) {
            reply.complete = true;  // garbage: complete, code 0
            reply.code = 0;
            reply.consumed = offset;
            return reply;
        }
        reply.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        reply.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
        if (line.size() == 3 || line[3] != '-') {
            reply.complete = true;
            reply.consumed = offset;
            return reply;
        }
    }
    return SmtpReply{};
}

// ---------------------------------------------------------------- suites and groups

const std::vector<std::uint16_t>& enumeration_suites_tls12() {
    static const std::vector<std::uint16_t> suites = [] {
        std::vector<std::uint16_t> out;
        // Modern AEAD suites first, so a server that picks the client's first choice shows them
        // early; then every other id of the three ranges.
        for (unsigned id = 0xC000; id <= 0xC0FF; ++id) {
            out.push_back(static_cast<std::uint16_t>(id));
        }
        for (unsigned id = 0xCC00; id <= 0xCCFF; ++id) {
            out.push_back(static_cast<std::uint16_t>(id));
        }
        for (unsigned id = 0x0001; id <= 0x00FE; ++id) {  // 0x0000 is TLS_NULL_WITH_NULL_NULL
            out.push_back(static_cast<std::uint16_t>(id));
        }
        return out;
    }();
    return suites;
}

const std::vector<std::uint16_t>& enumeration_suites_tls13() {
    static const std::vector<std::uint16_t> suites = {0x1301, 0x1302, 0x1303, 0x1304, 0x1305};
    return suites;
}

namespace {
struct GroupName {
    std::uint16_t id;
    const char* name;
};
constexpr std::array<GroupName, 18> kGroups = {{{0x001D, "x25519"},
                                                {0x001E, "x448"},
                                                {0x0017, "secp256r1"},
                                                {0x0018, "secp384r1"},
                                                {0x0019, "secp521r1"},
                                                {0x0015, "secp224r1"},
                                                {0x0016, "secp256k1"},
                                                {0x001A, "brainpoolP256r1"},
                                                {0x001B, "brainpoolP384r1"},
                                                {0x001C, "brainpoolP512r1"},
                                                {0x0100, "ffdhe2048"},
                                                {0x0101, "ffdhe3072"},
                                                {0x0102, "ffdhe4096"},
                                                {0x0103, "ffdhe6144"},
                                                {0x0104, "ffdhe8192"},
                                                {0x001F, "brainpoolP256r1tls13"},
                                                {0x0020, "brainpoolP384r1tls13"},
                                                {0x0021, "brainpoolP512r1tls13"}}};

std::string hex_id(std::uint16_t id) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out += kHex[(id >> static_cast<unsigned>(shift)) & 0xFU];
    }
    return out;
}

/// OpenSSL's description of a suite id, or null when this OpenSSL does not carry it.
const SSL_CIPHER* find_suite(std::uint16_t suite) {
    struct Lookup {
        SslCtxPtr ctx{SSL_CTX_new(TLS_client_method())};
        SslPtr ssl{ctx ? SSL_new(ctx.get()) : nullptr};
    };
    static const Lookup lookup;  // read-only after construction: SSL_CIPHER_find does not write
    if (!lookup.ssl) {
        return nullptr;
    }
    const std::uint8_t id[2] = {static_cast<std::uint8_t>(suite >> 8U),
                                static_cast<std::uint8_t>(suite & 0xFFU)};
    return SSL_CIPHER_find(lookup.ssl.get(), id);
}
}  // namespace

const std::vector<std::uint16_t>& enumeration_groups() {
    static const std::vector<std::uint16_t> groups = [] {
        std::vector<std::uint16_t> out;
        for (const auto& group : kGroups) {
            out.push_back(group.id);
        }
        return out;
    }();
    return groups;
}

std::string group_name(std::uint16_t group) {
    for (const auto& known : kGroups) {
        if (known.id == group) {
            return known.name;
        }
    }
    return hex_id(group);
}

bool forward_secret(std::uint16_t suite) {
    if ((suite >> 8U) == 0x13) {
        return true;  // TLS 1.3: always (EC)DHE
    }
    if (const SSL_CIPHER* cipher = find_suite(suite)) {
        const int kx = SSL_CIPHER_get_kx_nid(cipher);
        return kx == NID_kx_ecdhe || kx == NID_kx_dhe || kx == NID_kx_ecdhe_psk ||
               kx == NID_kx_dhe_psk;
    }
    // Not carried by this OpenSSL: the ECDHE RC4/3DES/NULL suites of RFC 8422 §6 and the DHE
    // suites of RFC 5246 §A.5 with 40/56-bit or RC4 ciphers.
    return (suite >= 0xC006 && suite <= 0xC00A) || (suite >= 0xC010 && suite <= 0xC014) ||
           (suite >= 0x0011 && suite <= 0x0016) || suite == 0x0063 || suite == 0x0065 ||
           suite == 0x0066;
}

bool ecdhe_suite(std::uint16_t suite) {
    if (const SSL_CIPHER* cipher = find_suite(suite)) {
        return SSL_CIPHER_get_kx_nid(cipher) == NID_kx_ecdhe;
    }
    return (suite >= 0xC006 && suite <= 0xC00A) || (suite >= 0xC010 && suite <= 0xC014);
}

bool dhe_suite(std::uint16_t suite) {
    if (const SSL_CIPHER* cipher = find_suite(suite)) {
        return SSL_CIPHER_get_kx_nid(cipher) == NID_kx_dhe;
    }
    // Not carried by this OpenSSL: the export and DES DHE suites of RFC 5246 §A.5 and RFC 4346.
    return (suite >= 0x0011 && suite <= 0x0016) || suite == 0x0063 || suite == 0x0065 || suite == 0x0066;
}

DhGroup dh_group(const std::vector<std::uint8_t>& prime) {
    // Each standard group's prime, made once by OpenSSL itself from the group's name.
    static const std::vector<std::pair<std::string, std::vector<std::uint8_t>>> kKnown = [] {
        std::vector<std::pair<std::string, std::vector<std::uint8_t>>> known;
        for (const char* name : {"ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192", "modp_1536",
                                 "modp_2048", "modp_3072", "modp_4096", "modp_6144", "modp_8192", "dh_1024_160",
                                 "dh_2048_224", "dh_2048_256"}) {
            std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
                EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr), EVP_PKEY_CTX_free);
            EVP_PKEY* params = nullptr;
            char* group = const_cast<char*>(name);  // OSSL_PARAM takes a non-const pointer; not written
            const OSSL_PARAM request[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                                          OSSL_PARAM_construct_end()};
            if (!ctx || EVP_PKEY_paramgen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_params(ctx.get(), request) <= 0 ||
                EVP_PKEY_paramgen(ctx.get(), &params) <= 0) {
                continue;
            }
            std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> owned(params, EVP_PKEY_free);
            BIGNUM* p = nullptr;
            if (EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &p) > 0) {
                std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(p)));
                BN_bn2bin(p, bytes.data());
                known.emplace_back(name, std::move(bytes));
            }
            BN_free(p);
        }
        // RFC 2409's Oakley groups 1 and 2 (768 and 1024 bits), which OpenSSL names no group for:
        // the common primes Logjam precomputed against.
        for (const auto& [name, make] : {std::make_pair("modp_768", &BN_get_rfc2409_prime_768),
                                         std::make_pair("modp_1024", &BN_get_rfc2409_prime_1024)}) {
            BIGNUM* p = make(nullptr);
            if (p != nullptr) {
                std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(p)));
                BN_bn2bin(p, bytes.data());
                known.emplace_back(name, std::move(bytes));
            }
            BN_free(p);
        }
        return known;
    }();
    std::size_t first = 0;
    while (first < prime.size() && prime[first] == 0) ++first;  // a leading zero byte is allowed
    const std::vector<std::uint8_t> p(prime.begin() + static_cast<std::ptrdiff_t>(first), prime.end());
    DhGroup out{"unknown", 0};
    if (!p.empty()) {
        int top = 8;
        while (top > 0 && (p.front() & (1U << static_cast<unsigned>(top - 1))) == 0) --top;
        out.bits = static_cast<int>((p.size() - 1) * 8) + top;
    }
    for (const auto& [name, known] : kKnown) {
        if (known == p) out.name = name;
    }
    return out;
}

bool cbc_suite(std::uint16_t suite) {
    if ((suite >> 8U) == 0x13) {
        return false;
    }
    if (const SSL_CIPHER* cipher = find_suite(suite)) {
        if (SSL_CIPHER_is_aead(cipher) != 0) {
            return false;
        }
        const int nid = SSL_CIPHER_get_cipher_nid(cipher);
        return nid != NID_undef && nid != NID_rc4;
    }
    return (weak_classes_of(suite) & (bit(WeakClass::Des) | bit(WeakClass::TripleDes))) != 0;
}

std::string suite_name(std::uint16_t suite) {
    if (const SSL_CIPHER* cipher = find_suite(suite)) {
        if (const char* name = SSL_CIPHER_standard_name(cipher)) {
            return name;
        }
    }
    return hex_id(suite);
}

}  // namespace lisa::tls_detail
