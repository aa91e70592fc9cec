package dev.shipgate.http;

/**
 * Fails a request with a known problem; the failure handler writes it as is. It may carry the failure it
 * was mapped from as its cause, for code that must decide on that failure (the client never sees it).
 * No stack trace: it is an answer, not a bug.
 */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    /** A problem mapped from {@code cause} (null for none). */
    public ProblemException(Problem problem, Throwable cause) {
        super(problem.detail(), cause, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
