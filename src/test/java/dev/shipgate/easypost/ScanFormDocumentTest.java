package dev.shipgate.easypost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's scan form PDF")
class ScanFormDocumentTest {

    @Test
    @DisplayName("a form of 100 shipments lists all 100 tracking codes over 3 numbered pages, with no '... and N more'")
    void listsEveryTrackingCode() throws Exception {
        JsonArray codes = new JsonArray();
        for (int i = 0; i < 100; i++) {
            codes.add(String.format("EZ%011d", 40_000_000_000L + i));
        }
        JsonObject form = new JsonObject().put("id", "sf_test").put("created_at", "2026-11-30T14:00:00Z").put("tracking_codes", codes);
        try (PDDocument pdf = Loader.loadPDF(ScanFormDocument.pdf(form))) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(3);
            String text = new PDFTextStripper().getText(pdf);
            for (Object code : codes) {
                assertThat(text).contains((String) code);
            }
            assertThat(text).contains("Page 3 of 3").doesNotContain("more");
        }
    }
}
