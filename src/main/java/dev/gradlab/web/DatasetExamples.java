package dev.gradlab.web;

/**
 * The dataset endpoints' examples in Swagger UI: a CSV to upload (30 rows, three features, three classes: blobs
 * around three centres, made up for the example, 0.5 noise) and the dataset it becomes.
 */
final class DatasetExamples {

    private DatasetExamples() {}

    static final String CSV = """
            x1,x2,x3,class
            -0.13,0.26,0.89,0
            1.84,0.53,-1.11,1
            -0.44,2.21,0.52,2
            0.12,0.2,1.09,0
            1.17,1.43,-0.75,1
            -0.75,1.15,-0.87,2
            -0.44,-0.23,1.15,0
            1.98,1.26,-1.32,1
            -0.85,2.2,-0.33,2
            0.86,0.28,1.6,0
            1.69,0.63,-1.17,1
            -1.05,2.32,0.12,2
            -0.22,-0.48,0.74,0
            2.61,0.6,-0.88,1
            -0.79,1.26,0.02,2
            0.65,-1.01,0.84,0
            1.95,0.59,-0.75,1
            -1.03,1.27,0.41,2
            0.33,0.47,1.72,0
            2.18,1.06,-1.65,1
            -0.69,1.69,-0.23,2
            -0.63,-0.48,0.73,0
            2.64,-0.02,-1.73,1
            -0.88,2.72,0.29,2
            -0.95,-1.26,1.18,0
            1.63,0.44,-0.51,1
            -0.45,2.08,0.12,2
            0.22,0.8,1.31,0
            2.26,1.27,-1.78,1
            -0.36,2.48,0.26,2
            """;

    /** The CSV above as uploaded with name=blobs (the answer of a real upload, 2026-12-01). */
    static final String DATASET = """
            {
              "id": "f15c9fae-9fb1-4557-bad7-51a72a4f6bc9",
              "name": "blobs",
              "owner": "alice",
              "rows": 30,
              "features": 3,
              "classes": 3,
              "classRows": [10, 10, 10],
              "labelColumn": "class",
              "bytes": 555,
              "storedBytes": 480,
              "sha256": "d001530911c0963c07bba9648b84e12ff0825d4898e40dbb3378fa8c01182c82",
              "createdAt": "2026-12-01T20:16:02.990916Z"
            }""";

    /** The answer to "x1,x2,class\n1,2,0\n3,O.59,1\n" (a letter O for a zero). */
    static final String INVALID_CSV = """
            {
              "type": "about:blank",
              "title": "Invalid CSV",
              "status": 400,
              "detail": "line 3, column 2 ('x2'): 'O.59' is not a number",
              "instance": "/api/v1/datasets",
              "code": "invalid-csv",
              "line": 3,
              "column": 2,
              "errors": [{"field": "body", "message": "line 3, column 2 ('x2'): 'O.59' is not a number"}]
            }""";
}
