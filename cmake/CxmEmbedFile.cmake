# SPDX-License-Identifier: MIT
# cmake -DIN=FILE -DOUT=FILE.cpp -DSYMBOL=name -P CxmEmbedFile.cmake
# Writes a C++ source defining `extern const unsigned char SYMBOL[]` (the file's bytes) and
# `extern const std::size_t SYMBOL_size`: a page of a few hundred kilobytes is too long for one
# string literal on some compilers, a byte array is not.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Line breaks every 24 bytes keep the generated file readable by editors and diff tools.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by cmake/CxmEmbedFile.cmake: do not edit.\n"
  "#include <cstddef>\n"
  "extern const unsigned char ${SYMBOL}[] = {\n${bytes}\n};\n"
  "extern const std::size_t ${SYMBOL}_size = ${size};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
