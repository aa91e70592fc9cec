package dev.shipgate.easypost;

import io.vertx.core.json.JsonObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The simulator's label files, made locally from a bought shipment so that printing works offline, in
 * tests and in demos: a PNG, a 4x6 in PDF page (288 x 432 pt), a ZPL II and an EPL2 text, each carrying
 * the carrier, service, tracking code and both addresses, as a real carrier label does. Formats and the
 * 4x6 size are those EasyPost documents for {@code PostageLabel} ({@code label_size} "4x6",
 * {@code label_file_type}); the barcode drawn in PNG and PDF is a stand-in, the ZPL and EPL2 ones are
 * Code 128 commands a printer draws itself.
 */
final class LabelDocuments {

    /** PDF points per inch. */
    private static final float POINTS_PER_INCH = 72f;
    /** A 4x6 in label in points: 288 x 432. */
    static final PDRectangle FOUR_BY_SIX = new PDRectangle(4 * POINTS_PER_INCH, 6 * POINTS_PER_INCH);
    /** Dots per inch of the PNG and of the ZPL/EPL2 layouts: the common 203 dpi thermal printer. */
    private static final int DPI = 203;

    private LabelDocuments() {
    }

    /** What a label shows, read from a shipment in EasyPost's JSON shape. */
    record Content(String carrier, String service, String trackingCode, List<String> from, List<String> to, String weightOz) {

        static Content of(JsonObject shipment) {
            JsonObject rate = shipment.getJsonObject("selected_rate", new JsonObject());
            Object weight = shipment.getJsonObject("parcel", new JsonObject()).getValue("weight");
            return new Content(rate.getString("carrier", "USPS"), rate.getString("service", ""),
                    String.valueOf(shipment.getString("tracking_code")), lines(shipment.getJsonObject("from_address")),
                    lines(shipment.getJsonObject("to_address")), weight == null ? "" : weight.toString());
        }

        private static List<String> lines(JsonObject a) {
            List<String> out = new ArrayList<>();
            if (a == null) {
                return out;
            }
            for (String key : new String[] {"name", "company", "street1", "street2"}) {
                String v = a.getString(key);
                if (v != null && !v.isBlank()) {
                    out.add(v);
                }
            }
            out.add(String.join(" ", nonNull(a.getString("city")) + ",", nonNull(a.getString("state")),
                    nonNull(a.getString("zip")), nonNull(a.getString("country"))).trim());
            return out;
        }

        private static String nonNull(String s) {
            return s == null ? "" : s;
        }
    }

    /** A 4x6 in PNG at {@value #DPI} dpi, black on white. */
    static byte[] png(Content c) {
        int w = 4 * DPI;
        int h = 6 * DPI;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(4));
            g.drawRect(10, 10, w - 20, h - 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 44));
            g.drawString(c.carrier() + " " + c.service(), 30, 70);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 24));
            int y = 130;
            g.drawString("FROM:", 30, y);
            for (String line : c.from()) {
                g.drawString(line, 130, y);
                y += 30;
            }
            g.drawLine(10, y, w - 10, y);
            y += 60;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 32));
            g.drawString("SHIP TO:", 30, y);
            y += 45;
            for (String line : c.to()) {
                g.drawString(line, 60, y);
                y += 42;
            }
            g.drawLine(10, y, w - 10, y);
            int barsTop = h - 360;
            for (int[] bar : bars(c.trackingCode(), 60, w - 60)) {
                g.fillRect(bar[0], barsTop, bar[1], 200);
            }
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 32));
            g.drawString(c.trackingCode(), 60, barsTop + 250);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 22));
            g.drawString("Weight " + c.weightOz() + " oz", 60, barsTop + 300);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One PDF with one 4x6 in page (288 x 432 pt) per label, in order: a single label or a batch's document. */
    static byte[] pdf(List<Content> labels) {
        try (PDDocument doc = new PDDocument()) {
            org.apache.pdfbox.pdmodel.font.PDFont bold = unicodeFont(doc, BOLD_FONTS)
                    .orElseGet(() -> new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD));
            org.apache.pdfbox.pdmodel.font.PDFont plain = unicodeFont(doc, PLAIN_FONTS)
                    .orElseGet(() -> new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            PDType1Font mono = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD);
            for (Content c : labels) {
                PDPage page = new PDPage(FOUR_BY_SIX);
                doc.addPage(page);
                try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                    s.addRect(6, 6, 276, 420);
                    s.stroke();
                    text(s, bold, 14, 16, 404, c.carrier() + " " + c.service());
                    float y = 384;
                    text(s, plain, 8, 16, y, "FROM:");
                    for (String line : c.from()) {
                        text(s, plain, 8, 50, y, line);
                        y -= 10;
                    }
                    y -= 18;
                    text(s, bold, 11, 16, y, "SHIP TO:");
                    y -= 16;
                    for (String line : c.to()) {
                        text(s, bold, 11, 30, y, line);
                        y -= 14;
                    }
                    float pointsPerDot = POINTS_PER_INCH / DPI;
                    for (int[] bar : bars(c.trackingCode(), 60, 752)) {
                        s.addRect(bar[0] * pointsPerDot, 90, bar[1] * pointsPerDot, 60);
                    }
                    s.fill();
                    text(s, mono, 11, 30, 72, c.trackingCode());
                    text(s, plain, 8, 30, 56, "Weight " + c.weightOz() + " oz");
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(PDPageContentStream s, org.apache.pdfbox.pdmodel.font.PDFont font, float size, float x, float y,
                             String text) throws IOException {
        s.beginText();
        s.setFont(font, size);
        s.newLineAtOffset(x, y);
        s.showText(font instanceof org.apache.pdfbox.pdmodel.font.PDType0Font ? covered(font, text) : latin1(text));
        s.endText();
    }

    /**
     * TrueType fonts that cover Latin, Greek, Cyrillic, Hebrew, Arabic and more (DejaVu, as Debian's
     * fonts-dejavu-core installs it; the JDK ships none): names in other scripts print as written. The first
     * one found is embedded (subset) in the PDF; without any, the standard fonts print only Latin-1.
     */
    static final List<java.nio.file.Path> PLAIN_FONTS = List.of(
            java.nio.file.Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            java.nio.file.Path.of("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
            java.nio.file.Path.of("/usr/share/fonts/TTF/DejaVuSans.ttf"));
    static final List<java.nio.file.Path> BOLD_FONTS = List.of(
            java.nio.file.Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
            java.nio.file.Path.of("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
            java.nio.file.Path.of("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"));
    private static final java.util.concurrent.atomic.AtomicBoolean NO_FONT_LOGGED = new java.util.concurrent.atomic.AtomicBoolean();

    private static java.util.Optional<org.apache.pdfbox.pdmodel.font.PDFont> unicodeFont(PDDocument doc, List<java.nio.file.Path> candidates) {
        for (java.nio.file.Path file : candidates) {
            if (java.nio.file.Files.isReadable(file)) {
                try {
                    return java.util.Optional.of(org.apache.pdfbox.pdmodel.font.PDType0Font.load(doc, file.toFile()));
                } catch (IOException e) {
                    // try the next one
                }
            }
        }
        if (NO_FONT_LOGGED.compareAndSet(false, true)) {
            org.slf4j.LoggerFactory.getLogger(LabelDocuments.class).warn("no Unicode TrueType font found (looked for {}): "
                    + "PDF labels print text outside Latin-1 as '?'; install fonts-dejavu-core", candidates.get(0));
        }
        return java.util.Optional.empty();
    }

    /**
     * {@code text} with every character {@code font} has no glyph for (an emoji, most CJK in DejaVu) replaced by
     * U+FFFD, the replacement character, which prints as a visible box-with-question-mark: the label shows that
     * something could not be printed rather than silently dropping it. Control characters become spaces.
     */
    static String covered(org.apache.pdfbox.pdmodel.font.PDFont font, String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            String ch = cp < 0x20 || cp == 0x7f ? " " : new String(Character.toChars(cp));
            try {
                font.encode(ch);
                b.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                b.append(canEncode(font, "\uFFFD") ? "\uFFFD" : "?");
            }
        });
        return b.toString();
    }

    private static boolean canEncode(org.apache.pdfbox.pdmodel.font.PDFont font, String ch) {
        try {
            font.encode(ch);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** ZPL II for a 4x6 in label at 203 dpi (812 x 1218 dots), UTF-8 field data ({@code ^CI28}), Code 128 barcode. */
    static String zpl(Content c) {
        StringBuilder z = new StringBuilder("^XA\n^CI28\n^PW812\n^LL1218\n");
        z.append("^FO30,30^A0N,44,44^FD").append(zplText(c.carrier() + " " + c.service())).append("^FS\n");
        int y = 110;
        for (String line : c.from()) {
            z.append("^FO30,").append(y).append("^A0N,24,24^FD").append(zplText(line)).append("^FS\n");
            y += 30;
        }
        y += 40;
        z.append("^FO30,").append(y).append("^A0N,32,32^FDSHIP TO:^FS\n");
        y += 45;
        for (String line : c.to()) {
            z.append("^FO60,").append(y).append("^A0N,36,36^FD").append(zplText(line)).append("^FS\n");
            y += 42;
        }
        z.append("^FO60,860^BY3^BCN,200,Y,N,N^FD").append(zplText(c.trackingCode())).append("^FS\n");
        z.append("^FO60,1150^A0N,22,22^FDWeight ").append(zplText(c.weightOz())).append(" oz^FS\n");
        return z.append("^XZ\n").toString();
    }

    /** EPL2 for the same layout: {@code N} clears the buffer, {@code A} prints text, {@code B} a Code 128 barcode, {@code P1} prints. */
    static String epl2(Content c) {
        StringBuilder e = new StringBuilder("\nN\nq812\nQ1218,24\n");
        e.append("A30,30,0,5,1,1,N,\"").append(eplText(c.carrier() + " " + c.service())).append("\"\n");
        int y = 110;
        for (String line : c.from()) {
            e.append("A30,").append(y).append(",0,3,1,1,N,\"").append(eplText(line)).append("\"\n");
            y += 30;
        }
        y += 40;
        e.append("A30,").append(y).append(",0,4,1,1,N,\"SHIP TO:\"\n");
        y += 45;
        for (String line : c.to()) {
            e.append("A60,").append(y).append(",0,4,1,1,N,\"").append(eplText(line)).append("\"\n");
            y += 42;
        }
        e.append("B60,860,0,1,3,6,200,B,\"").append(eplText(c.trackingCode())).append("\"\n");
        return e.append("P1\n").toString();
    }

    /** Bars for a stand-in barcode: x and width in 203 dpi dots, one pattern per character of the code. */
    private static List<int[]> bars(String code, int from, int to) {
        List<int[]> bars = new ArrayList<>();
        int x = from;
        int module = 3;
        for (char ch : code.toCharArray()) {
            for (int bit = 0; bit < 5 && x < to; bit++) {
                int width = ((ch >> bit) & 1) == 1 ? 2 * module : module;
                bars.add(new int[] {x, width});
                x += width + module;
            }
        }
        return bars;
    }

    /** The standard PDF fonts encode WinAnsi only: anything else is shown as '?'. */
    private static String latin1(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f || cp >= 0xa0 && cp <= 0xff ? (char) cp : '?'));
        return b.toString();
    }

    /** ZPL's command prefixes may not appear in field data. */
    private static String zplText(String s) {
        return s.replace('^', ' ').replace('~', ' ');
    }

    private static String eplText(String s) {
        return latin1(s).replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
