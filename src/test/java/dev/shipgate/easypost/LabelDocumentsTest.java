package dev.shipgate.easypost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's PDF label")
class LabelDocumentsTest {

    @Test
    @DisplayName("a Greek and Cyrillic recipient prints as written (DejaVu embedded); an emoji prints as a visible U+FFFD, not '?'")
    void nonLatinText() throws Exception {
        boolean font = LabelDocuments.PLAIN_FONTS.stream().anyMatch(Files::isReadable);
        if (!font && "1".equals(System.getenv("SHIPGATE_CI"))) {
            throw new AssertionError("required in CI (SHIPGATE_CI=1), never skipped: no DejaVu font (Debian: fonts-dejavu-core)");
        }
        assumeTrue(font, "no DejaVu font on this machine (Debian: fonts-dejavu-core)");
        LabelDocuments.Content label = new LabelDocuments.Content("USPS", "GroundAdvantage", "EZ1000000001",
                List.of("Warehouse", "1 Main St", "Boston MA 02134"), List.of("Ζωή Παπαδοπούλου", "Москва ул. Тверская 1", "Zoë 📦"), "16");
        try (PDDocument pdf = Loader.loadPDF(LabelDocuments.pdf(List.of(label)))) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("Ζωή Παπαδοπούλου", "Москва ул. Тверская 1", "Zoë \uFFFD").doesNotContain("???");
        }
    }
}
