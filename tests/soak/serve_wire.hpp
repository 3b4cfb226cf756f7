// SPDX-License-Identifier: MIT
// The serve kill soak's client side of the wire: HTTP/1.1 POSTs over a plain loopback socket
// (nothing that could hide a half-answered request), and the wait for cxm serve's
// "listening on" line. Only 127.0.0.1 is ever contacted.
#ifndef CXM_TESTS_SOAK_SERVE_WIRE_HPP
#define CXM_TESTS_SOAK_SERVE_WIRE_HPP

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

namespace cxm_soak {

inline int connect_to(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{30, 0};  // a live server answers long before; a hang is a finding
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// POSTs `body`; the status of a complete answer (its body in `reply`, `close` when the server
/// ends the connection), or -1 when no complete answer came.
inline int post(int fd, unsigned short port, const std::string& body, std::string& reply, bool& close) {
  std::string req = "POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (std::size_t sent = 0; sent < req.size();) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    sent += static_cast<std::size_t>(n);
  }
  std::string in;
  std::size_t head_end = std::string::npos, want = 0;
  char buf[16384];
  for (;;) {
    if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
      std::string head = in.substr(0, head_end);
      for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t cl = head.find("\r\ncontent-length:");
      if (cl == std::string::npos) return -1;
      want = head_end + 4 + std::strtoull(head.c_str() + cl + 17, nullptr, 10);
      close = head.find("\r\nconnection: close") != std::string::npos;
    }
    if (head_end != std::string::npos && in.size() >= want) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return -1;
    in.append(buf, static_cast<std::size_t>(n));
  }
  if (in.compare(0, 9, "HTTP/1.1 ") != 0) return -1;
  reply = in.substr(head_end + 4, want - head_end - 4);
  return std::atoi(in.c_str() + 9);
}

/// The port from "listening on http://127.0.0.1:PORT/", or 0 (the server ended or 60 s passed).
inline unsigned short wait_listening(int fd) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pf{fd, POLLIN, 0};
    if (::poll(&pf, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return 0;
    out.append(buf, static_cast<std::size_t>(n));
    std::size_t at = out.find("http://127.0.0.1:");
    if (at != std::string::npos && out.find('/', at + 17) != std::string::npos)
      return static_cast<unsigned short>(std::atoi(out.c_str() + at + 17));
  }
  return 0;
}

}  // namespace cxm_soak

#endif  // CXM_TESTS_SOAK_SERVE_WIRE_HPP
