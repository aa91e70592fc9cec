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
 * The simulator's scan form document: a letter-size PDF listing every one of the form's tracking codes (as
 * many pages as they need, {@value #LINES_PER_PAGE} a page, each page numbered), made locally with PDFBox so
 * that printing the end-of-day form works offline, in tests and demos.
 */
final class ScanFormDocument {

    static final int LINES_PER_PAGE = 45;

    private ScanFormDocument() {
    }

    static byte[] pdf(JsonObject form) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font plain = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            var codes = form.getJsonArray("tracking_codes");
            int pages = Math.max(1, (codes.size() + LINES_PER_PAGE - 1) / LINES_PER_PAGE);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                document.addPage(page);
                try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                    text.beginText();
                    text.setFont(bold, 16);
                    text.newLineAtOffset(54, 730);
                    text.showText("SCAN FORM (simulated)  " + form.getString("id"));
                    text.setFont(plain, 10);
                    text.setLeading(14);
                    text.newLine();
                    text.showText("Created " + form.getString("created_at") + "   Shipments: " + codes.size()
                            + "   Page " + (p + 1) + " of " + pages);
                    text.newLine();
                    text.newLine();
                    for (int i = p * LINES_PER_PAGE; i < codes.size() && i < (p + 1) * LINES_PER_PAGE; i++) {
                        text.showText((i + 1) + ".  " + codes.getString(i));
                        text.newLine();
                    }
                    text.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
