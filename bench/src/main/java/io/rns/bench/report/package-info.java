/**
 * The benchmark's results: the JSON document of every scenario's measurements and its rendering as SVG charts.
 */
package io.rns.bench.report;
