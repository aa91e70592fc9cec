package dev.shipgate.easypost;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The simulator's scan form document: a one-page letter-size PDF listing the form's tracking codes, made
 * locally with PDFBox so that printing the end-of-day form works offline, in tests and demos.
 */
final class ScanFormDocument {

    private static final int LINES_PER_PAGE = 40;

    private ScanFormDocument() {
    }

    static byte[] pdf(JsonObject form) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            document.addPage(page);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font plain = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            var codes = form.getJsonArray("tracking_codes");
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(bold, 16);
                text.newLineAtOffset(54, 730);
                text.showText("SCAN FORM (simulated)  " + form.getString("id"));
                text.setFont(plain, 10);
                text.setLeading(14);
                text.newLine();
                text.showText("Created " + form.getString("created_at") + "   Shipments: " + codes.size());
                text.newLine();
                text.newLine();
                for (int i = 0; i < codes.size() && i < LINES_PER_PAGE; i++) {
                    text.showText((i + 1) + ".  " + codes.getString(i));
                    text.newLine();
                }
                if (codes.size() > LINES_PER_PAGE) {
                    text.showText("... and " + (codes.size() - LINES_PER_PAGE) + " more");
                }
                text.endText();
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
