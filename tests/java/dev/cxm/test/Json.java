// SPDX-License-Identifier: MIT
// A small JSON reader for the Java test's checks of what cxm returns (the JDK has none).
package dev.cxm.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON text into Map (objects, keys in order), List, String, Long (integers), Double
 * (other numbers), Boolean and null. Strict enough for a test: any syntax error throws. Not a
 * general parser: no limits, no duplicate-key check (cxm's own output is what it reads).
 */
final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    Json j = new Json(text);
    Object v = j.value();
    j.space();
    if (j.i != text.length()) throw j.error("trailing text");
    return v;
  }

  /** Follows a path of keys (String) and indexes (Integer) from {@code root}. */
  static Object at(Object root, Object... path) {
    Object v = root;
    for (Object step : path) {
      if (step instanceof String) {
        v = ((Map<?, ?>) v).get(step);
      } else {
        v = ((List<?>) v).get((Integer) step);
      }
    }
    return v;
  }

  private Object value() {
    space();
    if (i >= s.length()) throw error("unexpected end");
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<String, Object>();
    ++i;
    space();
    if (peek() == '}') {
      ++i;
      return m;
    }
    while (true) {
      space();
      if (peek() != '"') throw error("expected a key");
      String k = string();
      space();
      expect(':');
      m.put(k, value());
      space();
      if (peek() == ',') {
        ++i;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> array() {
    List<Object> a = new ArrayList<Object>();
    ++i;
    space();
    if (peek() == ']') {
      ++i;
      return a;
    }
    while (true) {
      a.add(value());
      space();
      if (peek() == ',') {
        ++i;
      } else {
        expect(']');
        return a;
      }
    }
  }

  private String string() {
    StringBuilder b = new StringBuilder();
    ++i;
    while (true) {
      if (i >= s.length()) throw error("unterminated string");
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c < 0x20) throw error("control character in a string");
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          b.append(e);
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          // A surrogate pair arrives as two escapes, each appended as its UTF-16 unit.
          b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
          break;
        default:
          throw error("bad escape");
      }
    }
  }

  private Object number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) ++i;
    String t = s.substring(start, i);
    if (t.isEmpty()) throw error("unexpected character");
    if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) return Long.valueOf(t);
    return Double.valueOf(t);
  }

  private Object word(String w, Object v) {
    if (!s.startsWith(w, i)) throw error("unexpected word");
    i += w.length();
    return v;
  }

  private char peek() {
    if (i >= s.length()) throw error("unexpected end");
    return s.charAt(i);
  }

  private void expect(char c) {
    if (peek() != c) throw error("expected '" + c + "'");
    ++i;
  }

  private void space() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) ++i;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at offset " + i);
  }
}
