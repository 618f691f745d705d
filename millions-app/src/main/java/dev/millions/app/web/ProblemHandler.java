package dev.millions.app.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import jakarta.servlet.MultipartConfigElement;

/**
 * Turns every failure into a problem body with a precise message: which field, what was expected.
 * Spring's own exceptions (unknown route, wrong method, wrong content type, ...) keep their status;
 * anything unexpected is a 500 whose body says nothing of the internals, while the log has it all.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final MultipartConfigElement uploadLimits;

    ProblemHandler(MultipartConfigElement uploadLimits) {
        this.uploadLimits = uploadLimits;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String detail = "malformed JSON request body";
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            detail += ": " + jsonPath(mismatch.getPath()) + " has the wrong type (expected: "
                      + mismatch.getTargetType().getSimpleName() + ')';
        }
        return problem(e, HttpStatus.BAD_REQUEST, detail, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        String detail = "Content-Type '" + e.getContentType() + "' is not supported (expected: "
                        + MediaType.toString(e.getSupportedMediaTypes()) + ')';
        return problem(e, HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(error -> Map.of("field", error.getField(),
                                     "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(error -> error.get("field") + ": " + error.get("message"))
                              .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** A query parameter or path segment that is not of its type, such as {@code limit=ten}. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        String detail = e.getPropertyName() + ": '" + e.getValue() + "' (expected: " + expected + ')';
        return problem(e, HttpStatus.BAD_REQUEST, detail, headers, request);
    }

    /** Neither a route nor a file: the app's static files and the media store are the last resort. */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        String detail = "not found: " + e.getHttpMethod() + " /" + e.getResourcePath();
        return problem(e, HttpStatus.NOT_FOUND, detail, headers, request);
    }

    /** The servlet refused the upload while it streamed in, so the limit is the servlet's. */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
                                                                          HttpHeaders headers,
                                                                          HttpStatusCode status,
                                                                          WebRequest request) {
        String detail = "upload too large (expected: an image of at most " + uploadLimits.getMaxFileSize()
                        + " bytes)";
        return problem(e, HttpStatus.PAYLOAD_TOO_LARGE, detail, headers, request);
    }

    /** The database is down or failing over: a 503 tells clients (and a load balancer) to retry later. */
    @ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        TransactionException.class })
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(NestedRuntimeException e) {
        // No connection for a transaction, or a commit whose server died under it (its rollback fails
        // too, and its outcome is unknown): the client is told to retry, as for any database outage.
        log.warn("database unavailable: {}", e.getMostSpecificCause().toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                             .header(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS)
                             .body(Problems.databaseUnavailable());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("unexpected failure", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                                                                 "internal error; the request id is in the log");
        return ResponseEntity.internalServerError().body(problem);
    }

    private ResponseEntity<Object> problem(Exception e, HttpStatus status, String detail, HttpHeaders headers,
                                           WebRequest request) {
        return handleExceptionInternal(e, ProblemDetail.forStatusAndDetail(status, detail), headers, status,
                                       request);
    }

    /** The field's place in the body as a client wrote it, such as {@code tags[2].name}. */
    private static String jsonPath(List<Reference> path) {
        StringBuilder result = new StringBuilder();
        for (Reference step : path) {
            if (step.getFieldName() != null) {
                result.append(result.isEmpty() ? "" : ".").append(step.getFieldName());
            } else {
                result.append('[').append(step.getIndex()).append(']');
            }
        }
        return result.toString();
    }
}
