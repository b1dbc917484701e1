// Oracle for test/evaluate/pattern.test.ts: how java.util.regex reads an AllowedPattern, the way
// CloudFormation applies it (String.matches: the whole value). Run only when a JDK is installed:
// `java JavaPatternOracle.java` (single-file source launch). Protocol, one line each way, every string
// written as its UTF-16 code units in hex separated by '.' (so that any text, control characters and lone
// surrogates included, survives the pipe):
//   in:  P <pattern>           out: ok | error
//   in:  V <value>             out: 1 (matches) | 0 (does not) | E (the match itself failed, e.g. stack overflow)
// A V line applies to the last P line.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

public class JavaPatternOracle {
  static String decode(String hex) {
    if (hex.isEmpty()) return "";
    StringBuilder text = new StringBuilder();
    for (String unit : hex.split("\\.")) text.append((char) Integer.parseInt(unit, 16));
    return text.toString();
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    Pattern pattern = null;
    for (String line; (line = in.readLine()) != null; ) {
      String text = decode(line.length() > 2 ? line.substring(2) : "");
      if (line.startsWith("P")) {
        try {
          pattern = Pattern.compile(text);
          out.println("ok");
        } catch (Exception error) {
          pattern = null;
          out.println("error");
        }
      } else if (pattern == null) {
        out.println("E");
      } else {
        try {
          out.println(pattern.matcher(text).matches() ? "1" : "0");
        } catch (Throwable error) {
          out.println("E");
        }
      }
    }
    out.flush();
  }
}
