{#- Tone in [-1, 1] from lexicon hit counts; null when no lexicon word occurs. -#}
{% macro tone(positive, negative) -%}
    round(({{ positive }} - {{ negative }}) / nullif({{ positive }} + {{ negative }}, 0), 4)
{%- endmacro %}
