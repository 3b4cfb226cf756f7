// swift-tools-version:5.7
// SPDX-License-Identifier: MIT
// The Swift sample of cxm: an executable over the C ABI, imported as the Clang module CCxm
// (include/cxm/module.modulemap of an install). CXM_PREFIX names the install (default
// /usr/local); see README.md. Not built by cxm's CI.
import Foundation
import PackageDescription

let prefix = ProcessInfo.processInfo.environment["CXM_PREFIX"] ?? "/usr/local"

let package = Package(
  name: "CxmSample",
  platforms: [.macOS(.v12), .iOS(.v15)],  // async URLSession
  targets: [
    .executableTarget(
      name: "CxmSample",
      path: "Sources/CxmSample",
      swiftSettings: [
        // Swift finds module.modulemap in include/cxm; Clang resolves cxm.h's
        // "cxm/c/..." includes from include.
        .unsafeFlags(["-I", "\(prefix)/include/cxm", "-Xcc", "-I\(prefix)/include"])
      ],
      linkerSettings: [
        // The module map links "cxm"; the library is found here and at run time.
        .unsafeFlags(["-L\(prefix)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(prefix)/lib"])
      ])
  ])
