# Shipgate container image. Build: docker build -t shipgate .
# The embedded PostgreSQL is for local runs: in a container DATABASE_URL is required.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY conf conf
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system shipgate && useradd --system --gid shipgate --home-dir /app shipgate
WORKDIR /app
COPY --from=build /src/target/shipgate.jar /app/shipgate.jar
COPY conf /app/conf
COPY webroot /app/webroot
ENV HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    SHIPGATE_DATA_DIR=/app/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
RUN mkdir -p /app/data && chown shipgate:shipgate /app/data
USER shipgate
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["sh", "-c", "if [ -z \"$DATABASE_URL\" ]; then echo 'shipgate: DATABASE_URL must be set in a container' >&2; exit 2; fi; exec java -jar /app/shipgate.jar \"$@\"", "shipgate"]
CMD ["serve"]
