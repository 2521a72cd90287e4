package dev.gradlab.upload;

/** {@code gradlab.datasets.upload.concurrency} uploads are being parsed here already; nothing was read. */
public class UploadsBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Seconds a client should wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public UploadsBusyException(int concurrency) {
        super(concurrency + (concurrency == 1 ? " upload is" : " uploads are") + " being parsed on this instance "
                + "(gradlab.datasets.upload.concurrency); try again in a few seconds");
    }
}
