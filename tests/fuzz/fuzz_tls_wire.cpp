// SPDX-License-Identifier: Apache-2.0
// Any bytes as what a server answers: TLS records after our ClientHello, an LDAP StartTLS
// response, an SMTP reply. These parsers read the network; they must never crash or overread.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tls_detail.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lisa::tls_detail;
    // Copy into an exact-size buffer so ASan sees any read past the end.
    const std::vector<std::uint8_t> bytes(data, data + size);
    (void)parse_server_reply(bytes.data(), bytes.size());
    (void)parse_server_hello_message(bytes.data(), bytes.size());
    (void)parse_ldap_extended_response(bytes.data(), bytes.size());
    (void)parse_smtp_reply(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    return 0;
}
