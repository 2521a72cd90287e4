package dev.gradlab.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI gradLabOpenApi() {
        return new OpenAPI().info(new Info()
                .title("GradLab API")
                .version("1")
                .description("""
                        Train small networks and watch their gradients. Submit a model spec, then fetch per-layer \
                        gradient norms and the loss as JSON curves. Try the three examples on POST /api/v1/jobs: a \
                        20-layer sigmoid MLP's first layer gets a gradient ~10⁻¹² of its last (vanishing gradients); \
                        batch normalization (Ioffe & Szegedy, 2015) or residual connections (He et al., 2016) keep \
                        it within a few orders of magnitude and the net learns. The rnn examples show gradients \
                        through time (Pascanu, Mikolov & Bengio, 2013): W_rec's singular values below 1 make the \
                        gradient reaching early steps vanish (/curves/timesteps), above 1 it explodes and the run \
                        ends DIVERGED, and gradient clipping tames it."""));
    }
}
